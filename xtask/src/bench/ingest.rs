//! `cargo xtask bench ingest`: wall time to ingest all of `std` — cold (helper built, no result
//! cache), warm (result cache hit), and the first run ever (helper build included) — next to
//! `go list -json -export -deps std` alone, measured in the same run, with the ratios.
//!
//! The goals are measured on the release `go-ingest` binary (built here first), which is what a
//! user runs; the library inside this debug-built xtask process is shown for reference.

use anyhow::{Context, Result, bail};
use go_ingest::{Options, ingest};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn run(args: &[String]) -> Result<()> {
    let rounds: usize = match args.first() {
        Some(n) => n.parse().context("bench ingest [ROUNDS]")?,
        None => 5,
    };
    let go = go_ingest::find_go(None)?;
    let cache = crate::util::scratch("bench-ingest-cache")?;
    let opts = || Options::default().go(&go).cache_dir(&cache).progress(false);

    // First run ever: builds the helper into the empty cache.
    let t = Instant::now();
    let first = ingest(&["std"], &opts().result_cache(false))?;
    let first_run = t.elapsed();
    let packages = first.into_surface()?.packages.len();

    // The release CLI, built next to this xtask's target dir.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    crate::util::run(
        Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "--release",
                "-p",
                "go-ingest",
                "--bin",
                "go-ingest",
            ])
            .current_dir(crate::util::root()),
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || crate::util::root().join("target"),
        std::path::PathBuf::from,
    );
    let cli = target
        .join("release")
        .join(format!("go-ingest{}", std::env::consts::EXE_SUFFIX));
    let run_cli = |no_cache: bool| -> Result<Duration> {
        let mut c = Command::new(&cli);
        c.arg("--go").arg(&go).arg("--cache-dir").arg(&cache);
        if no_cache {
            c.arg("--no-cache");
        }
        let t = Instant::now();
        let st = c.arg("std").stdout(Stdio::null()).status()?;
        if !st.success() {
            bail!("go-ingest failed: {st}");
        }
        Ok(t.elapsed())
    };

    // go list alone, a cold CLI run and a cold in-process run alternate, so all see the same load.
    let (mut go_list, mut cold, mut cold_lib) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        let st = crate::util::go(&go)
            .args(["list", "-json", "-export", "-deps", "std"])
            .stdout(Stdio::null())
            .status()?;
        if !st.success() {
            bail!("go list failed: {st}");
        }
        go_list.push(t.elapsed());
        cold.push(run_cli(true)?);
        let t = Instant::now();
        let r = ingest(&["std"], &opts().result_cache(false))?;
        cold_lib.push(t.elapsed());
        std::hint::black_box(r.json().len());
    }
    let (go_list, cold, cold_lib) = (mid(go_list), mid(cold), mid(cold_lib));
    run_cli(false)?; // fill the result cache
    let warm = median(rounds * 4, || run_cli(false))?;
    let warm_lib = median(rounds * 4, || {
        let t = Instant::now();
        let r = ingest(&["std"], &opts())?;
        let d = t.elapsed();
        if !r.from_cache() {
            bail!("warm run missed the result cache");
        }
        std::hint::black_box(r.json().len());
        Ok(d)
    })?;

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "ingest std: {packages} packages, median of {rounds} rounds (warm: {})",
        rounds * 4
    );
    println!(
        "  go list -json -export -deps std   {:>9.1} ms",
        ms(go_list)
    );
    println!(
        "  ingest, first run (helper build)  {:>9.1} ms",
        ms(first_run)
    );
    println!(
        "  go-ingest CLI (release), cold     {:>9.1} ms  = {:.2}x go list (goal <= 1.5x)",
        ms(cold),
        ms(cold) / ms(go_list)
    );
    println!(
        "  go-ingest CLI (release), warm     {:>9.1} ms  (goal <= 50 ms)",
        ms(warm)
    );
    println!(
        "  library in this debug xtask: cold {:>9.1} ms  = {:.2}x go list; warm {:.1} ms",
        ms(cold_lib),
        ms(cold_lib) / ms(go_list),
        ms(warm_lib)
    );
    Ok(())
}

fn median(n: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    Ok(mid((0..n.max(1))
        .map(|_| f())
        .collect::<Result<Vec<_>>>()?))
}

fn mid(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}
