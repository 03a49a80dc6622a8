//! `cargo xtask bench bridge`: the goroutine bridge's cost per crossing, measured from C.
//!
//! Renders the runtime and a shim file (module `bench`: a `chan int64` and a `func(int64) int64`
//! callback), builds two c-archives that differ only in the handle table (the rendered
//! lock-free, generation-checked one, and a seed-style `sync.Mutex` + `map[uint64]cgo.Handle`
//! from `testdata/bridge-drivers/go-bench/seed_rt.go`), links `testdata/bridge-drivers/c/bench.c`
//! into each, and prints ns/op and the ratio of each case to two bare exported C→Go calls.
//! Goal: a send+recv pair ≤ 1.3× two bare calls. `--iters N` sets iterations per round.

use crate::util::{root, run as sh, scratch, write};
use anyhow::{Result, bail};
use apisurface::{EmitContext, GoType, ParamDecl, Signature};
use goroutine_render::{
    CallbackShim, ChannelShim, RuntimeOptions, ShimFile, render_runtime, render_shim_file,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

pub fn run(args: &[String]) -> Result<()> {
    let iters = crate::util::parse_iters("bridge", args, 1_000_000)?;
    let Some(go) = crate::util::find_go() else {
        println!("SKIP: go not found");
        return Ok(());
    };
    let Some(cc) = crate::util::c_compiler() else {
        println!("SKIP: no C compiler ($CC or `cc`) found");
        return Ok(());
    };
    let dir = scratch("bench-bridge")?;
    let drivers = root().join("testdata").join("bridge-drivers");
    let int64 = || GoType::name("int64");
    let mut file = ShimFile::new("bench");
    file.package = "main".into();
    file.channels = vec![ChannelShim::new("bench", int64()).base("i64")];
    file.callbacks = vec![
        CallbackShim::new(
            "bench",
            Signature {
                type_params: vec![],
                params: vec![ParamDecl {
                    name: None,
                    ty: int64(),
                }],
                results: vec![ParamDecl {
                    name: None,
                    ty: int64(),
                }],
            },
        )
        .base("adder"),
    ];
    let shims = render_shim_file(&file, &EmitContext::new())?;
    let runtime = render_runtime(&RuntimeOptions {
        package: "main".into(),
        ..RuntimeOptions::default()
    })?;
    let seed_rt = std::fs::read_to_string(drivers.join("go-bench").join("seed_rt.go"))?;

    let mut results: Vec<(&str, Measured)> = Vec::new();
    for (name, rt) in [
        ("gobridge lock-free table", runtime.as_str()),
        ("seed-style mutex+map", seed_rt.as_str()),
    ] {
        let d = dir.join(name.split(' ').next().unwrap_or("x"));
        write(
            &d.join("go.mod"),
            "module example.com/gobridge/bridgebench\n\ngo 1.21\n",
        )?;
        write(&d.join("mochi_rt.go"), rt)?;
        write(&d.join("mochi_bench.go"), &shims)?;
        std::fs::copy(drivers.join("go-bench").join("glue.go"), d.join("glue.go"))?;
        sh(crate::util::go(&go)
            .args([
                "build",
                "-buildmode=c-archive",
                "-tags",
                "mochi_wrap",
                "-o",
                "libbridge.a",
                ".",
            ])
            .current_dir(&d)
            .env("GOTOOLCHAIN", "local"))?;
        let exe = d.join("bench");
        sh(Command::new(&cc)
            .args(["-O2", "-pthread", "-I"])
            .arg(&d)
            .arg(drivers.join("c").join("bench.c"))
            .arg(d.join("libbridge.a"))
            .arg("-o")
            .arg(&exe)
            .args(["-lpthread", "-ldl", "-lm"]))?;
        results.push((name, measure(&exe, iters)?));
    }

    println!(
        "bench bridge: {iters} iterations per run, 11 rounds; ns/op = minimum, ratio = median over \
         rounds of case / (2 × bare call measured just before it)"
    );
    for (name, r) in &results {
        println!("  {name}");
        for (case, label) in CASES {
            let (ns, ratio) = r[case];
            println!("    {label:<42} {ns:>8.1} ns/op   {ratio:>5.2}× two bare calls");
        }
    }
    let ours = results[0].1["send_recv"].1;
    let seed = results[1].1["send_recv"].1;
    println!(
        "  send+recv pair: {ours:.2}× two bare calls (goal ≤ 1.30×: {}); seed-style table {seed:.2}×",
        if ours <= 1.3 { "met" } else { "not met" }
    );
    Ok(())
}

const CASES: [(&str, &str); 5] = [
    ("bare", "bare exported no-op C→Go call"),
    ("send_recv", "chan int64 send+recv pair"),
    ("try_send_try_recv", "chan int64 try_send+try_recv pair"),
    ("callback", "callback call, one int64 arg"),
    ("raw_chan", "floor: global chan send+recv, no table"),
];

/// Per case: (minimum ns/op, median ratio to two bare calls).
type Measured = BTreeMap<String, (f64, f64)>;

fn measure(exe: &Path, iters: u64) -> Result<Measured> {
    let out = sh(Command::new(exe).arg(iters.to_string()))?;
    let mut m = BTreeMap::new();
    for l in String::from_utf8_lossy(&out.stdout).lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        if let [k, ns, ratio] = f[..] {
            m.insert(k.to_string(), (ns.parse::<f64>()?, ratio.parse::<f64>()?));
        }
    }
    for (k, _) in CASES {
        if !m.contains_key(k) {
            bail!("bench output lacks {k}");
        }
    }
    Ok(m)
}
