//! gobridge developer tasks.
//!
//! * `cargo xtask ci` — the one test command: fmt, clippy, tests (snapshots in check mode), docs,
//!   then the sentinel.
//! * `cargo xtask sentinel [--allow-missing-go] [--only STEP]` — proves generated Go with the real
//!   Go toolchain (gofmt, vet, build, link, run).
//! * `cargo xtask bench [types|pool|bridge|ingest|synth]` — benchmarks printed as ratios.
//! * `cargo xtask examples` — the `build.rs` examples (clippy, tests, run) and their rebuild
//!   rules (also the last step of `ci`).
//! * `cargo xtask corpus` — regenerates `testdata/types/` from the installed Go.

mod bench;
mod ci;
mod corpus;
mod sentinel;
#[cfg(test)]
mod tidy;
mod util;

use anyhow::{Result, bail};

fn main() {
    if let Err(e) = run() {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        bail!("usage: cargo xtask <ci|sentinel|bench|corpus|examples|bind-std> [args]");
    };
    match cmd.as_str() {
        "ci" => ci::run(rest),
        "examples" => ci::examples(),
        "sentinel" => sentinel::run(rest),
        "bind-std" => sentinel::bind::std_wide(rest),
        "bench" => bench::run(rest),
        "corpus" => corpus::run(rest),
        other => bail!(
            "unknown task `{other}`; expected ci, sentinel, bench, corpus, examples or bind-std"
        ),
    }
}
