//! `cargo xtask bench bind [--iters N]`: the generated safe Rust API of a bound package
//! against bare hand-written `//export` functions of the same Go code, side by side from one
//! run: `example::double` (`func(int64) int64`), a method on a handle (`Counter::add`), and
//! `strings::to_upper` on 16 and 4096 bytes against hand-written cgo (`C.GoStringN`/`C.CString`).
//! The row `floor:recover` is the bare export with a deferred `recover` (which every generated
//! wrapper needs: a Go panic must not cross into C) against the bare export: the part of the
//! generated call's cost that the panic contract itself sets, measured in the same run.
//! The bare exports live in one extra file of the generated cgo package, so both sides link
//! into one archive and run in one process (`testdata/bind-drivers/bench`, release build).

use crate::sentinel::Ctx;
use crate::sentinel::bind::driver_cargo;
use crate::sentinel::gobridge::{build_gobridge, gobridge};
use crate::util::{self, build_c_archive, find_go, root, scratch, write};
use anyhow::{Result, bail};
use std::process::Command;

/// The bare exports: the same Go code without the generated guard, handle or message slot.
const BARE: &str = r#"//go:build mochi_wrap

package main

/*
#include <stdint.h>
*/
import "C"

import example "example.com/gobridge/example"

var benchCounter = example.NewCounter()

//export bench_bare_double
func bench_bare_double(x C.int64_t) C.int64_t { return C.int64_t(example.Double(int64(x))) }

// The bare export plus the one thing every generated wrapper must add, a deferred recover (a
// Go panic may not cross into C): the floor of the generated call, measured in the same run.
//
//export bench_bare_double_recover
func bench_bare_double_recover(x C.int64_t) (r C.int64_t) {
	defer func() {
		if p := recover(); p != nil {
			r = 0
		}
	}()
	return C.int64_t(example.Double(int64(x)))
}

//export bench_bare_counter_add
func bench_bare_counter_add(k C.int64_t) C.int64_t {
	return C.int64_t(benchCounter.Add(int64(k)))
}
"#;

pub fn run(args: &[String]) -> Result<()> {
    let iters = util::parse_iters("bind", args, 200_000)?;
    let Some(go) = find_go() else {
        println!("SKIP: go not found: bench bind");
        return Ok(());
    };
    let ctx = Ctx { go };
    let bin = build_gobridge()?;
    let out = scratch("bench-bind")?;
    util::run(
        gobridge(&bin, &ctx)
            .arg("generate")
            .arg("--dir")
            .arg(root().join("testdata/example"))
            .arg("--out")
            .arg(&out),
    )?;
    let cgo = out.join("cgo");
    write(&cgo.join("bench_bare.go"), BARE)?;
    let lib = out.join("lib");
    std::fs::create_dir_all(&lib)?;
    build_c_archive(&ctx.go, &cgo, ".", &lib.join("libexample.a"), None)?;
    let bindings = out.join(apisurface::names::file::rust_module("example"));
    println!(
        "{:<16} {:>14} {:>10} {:>7} {:>6}",
        "call", "generated ns", "bare ns", "ratio", "goal"
    );
    run_driver("bench", &lib, &bindings, "example", iters, 3, |name| {
        if name.starts_with("floor:") {
            None
        } else if name.starts_with("double") {
            Some("1.10")
        } else {
            Some("1.20")
        }
    })?;
    std_bench(&ctx.go, iters)
}

/// The hand-written cgo `strings.ToUpper`: `C.GoStringN` in, `C.CString` out.
const BARE_STD: &str = r#"//go:build mochi_wrap

package main

/*
#include <stddef.h>
*/
import "C"

import "strings"

//export bench_bare_to_upper
func bench_bare_to_upper(p *C.char, n C.size_t) *C.char {
	return C.CString(strings.ToUpper(C.GoStringN(p, C.int(n))))
}
"#;

/// `strings.ToUpper` on 16 and 4096 bytes: generated API against [`BARE_STD`].
fn std_bench(go: &std::path::Path, iters: u64) -> Result<()> {
    let dir = scratch("bench-bind-std")?;
    let opts = go_ingest::Options::default().go(go).dir(&dir);
    let surface = go_ingest::ingest(&["strings"], &opts)?.into_surface()?;
    let module = "benchstd";
    let mut shims = goroutine_render::ShimFile::new(module);
    shims.package = "main".into();
    let popts = bind_render::PlanOptions {
        module: module.into(),
        target: "example.com/gobridge/benchstd".into(),
        ..Default::default()
    };
    let plan = bind_render::plan_packages(&surface, &["strings"], &popts);
    crate::sentinel::bind::render_cgo(plan, &surface, &popts, &shims, &dir, go, false)?;
    write(&dir.join("cgo").join("bench_bare.go"), BARE_STD)?;
    let lib = dir.join("lib");
    std::fs::create_dir_all(&lib)?;
    build_c_archive(
        go,
        &dir.join("cgo"),
        ".",
        &lib.join(format!("lib{module}.a")),
        None,
    )?;
    run_driver(
        "bench-std",
        &lib,
        &dir.join("bindings.rs"),
        module,
        iters,
        2,
        |_| Some("1.20"),
    )
}

/// Builds bench driver `name` (release) against the archive in `lib` and the module at
/// `bindings`, runs it for `iters` calls, and prints its `name generated bare ratio` rows with
/// each row's goal (`None`: a reference row without one); fails unless it printed `rows` rows.
fn run_driver(
    name: &str,
    lib: &std::path::Path,
    bindings: &std::path::Path,
    lib_name: &str,
    iters: u64,
    rows: usize,
    goal: impl Fn(&str) -> Option<&'static str>,
) -> Result<()> {
    let target = root()
        .join("target")
        .join("xtask")
        .join(format!("bind-{name}-driver"));
    util::run(driver_cargo("build", name, &target, lib, bindings, lib_name).arg("--release"))?;
    let o = util::run(
        Command::new(target.join("release").join("bind-driver"))
            .arg(iters.to_string())
            .env_remove("GODEBUG"),
    )?;
    let text = String::from_utf8_lossy(&o.stdout);
    let mut printed = 0;
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let [row, g, b, r] = f[..] else { continue };
        let goal = match goal(row) {
            Some(x) => format!("{x:>5}x"),
            None => format!("{:>6}", "-"),
        };
        println!("{row:<16} {g:>14} {b:>10} {r:>6}x {goal}");
        printed += 1;
    }
    if printed != rows {
        bail!("bench driver {name} printed {printed} rows:\n{text}");
    }
    Ok(())
}
