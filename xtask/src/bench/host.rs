//! `cargo xtask bench host`: what the generated safe Rust API costs over the raw shims.
//!
//! Builds the host gate's c-archive (the same files as sentinel step `host`) and the release
//! build of `testdata/host-drivers/rust` (`host-bench`), which interleaves, per round:
//!
//! * a `chan int64` send+recv pair through raw `extern "C"` calls and through `GoChan<i64>`
//!   (goal: safe ≤ 1.05× raw, median of per-round ratios);
//! * a bare exported C→Go call (`fixture_noop` through the safe export wrapper);
//! * Go calling a Rust closure through the rendered trampoline (`GoCallback<PredFn>`, from a Go
//!   loop in the glue) next to Go making a bare call into a static C function (the floor of any
//!   Go→C crossing).
//!
//! `--iters N` sets iterations per round (default 200 000).

use crate::sentinel::host::{build_archive, build_driver, render};
use crate::util::{run as sh, scratch, write};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::process::Command;

pub fn run(args: &[String]) -> Result<()> {
    let iters = crate::util::parse_iters("host", args, 200_000)?;
    let Some(go) = crate::util::find_go() else {
        println!("SKIP: go not found");
        return Ok(());
    };
    let dir = scratch("bench-host")?;
    let r = render()?;
    let arch = dir.join("archive");
    std::fs::create_dir_all(&arch)?;
    build_archive(&go, &arch, &r, None)?;
    let bindings = dir.join("bindings.rs");
    write(&bindings, &r.rust)?;
    let bin = build_driver(&arch, &bindings, true)?;
    let out = sh(Command::new(bin.join("host-bench")).arg(iters.to_string()))?;
    let mut m = BTreeMap::new();
    for l in String::from_utf8_lossy(&out.stdout).lines() {
        if let [k, v] = l.split_whitespace().collect::<Vec<_>>()[..] {
            m.insert(k.to_string(), v.parse::<f64>()?);
        }
    }
    let get = |k: &str| {
        m.get(k)
            .copied()
            .with_context(|| format!("bench output lacks {k}"))
    };
    let (raw, safe, ratio) = (
        get("raw_send_recv")?,
        get("safe_send_recv")?,
        get("ratio_send_recv")?,
    );
    let (bare, go_c, cb, cb_ratio) = (
        get("bare_c_to_go")?,
        get("bare_go_to_c")?,
        get("go_to_rust_callback")?,
        get("ratio_callback")?,
    );
    println!(
        "bench host: {iters} iterations per round, 11 interleaved rounds; ns/op = median, ratio = median of per-round ratios"
    );
    println!("  chan int64 send+recv, raw extern calls      {raw:>8.1} ns/op");
    println!("  chan int64 send+recv, GoChan<i64> (safe)    {safe:>8.1} ns/op   {ratio:>5.3}× raw");
    println!("  bare C→Go call (safe export wrapper)        {bare:>8.1} ns/op");
    println!("  bare Go→C call (static C function)          {go_c:>8.1} ns/op");
    println!(
        "  Go→Rust callback (GoCallback trampoline)    {cb:>8.1} ns/op   {cb_ratio:>5.2}× bare Go→C"
    );
    println!(
        "  safe API overhead on send+recv: {:+.1}% (goal ≤ 5%: {})",
        (ratio - 1.0) * 100.0,
        if ratio <= 1.05 { "met" } else { "not met" }
    );
    Ok(())
}
