//! `cargo xtask bench [NAME]`: benchmarks that print side-by-side ratios from one run.

mod bind;
mod bridge;
mod build;
mod host;
mod ingest;
mod pool;
mod synth;
mod types;

use anyhow::{Result, bail};

type Bench = (&'static str, fn(&[String]) -> Result<()>);

/// Every benchmark, by name.
const BENCHES: &[Bench] = &[
    ("bind", bind::run),
    ("bridge", bridge::run),
    ("build", build::run),
    ("host", host::run),
    ("ingest", ingest::run),
    ("pool", pool::run),
    ("synth", synth::run),
    ("types", types::run),
];

pub fn run(args: &[String]) -> Result<()> {
    let (name, rest) = match args.split_first() {
        Some((n, r)) => (Some(n.as_str()), r),
        None => (None, &[][..]),
    };
    let mut ran = 0;
    for (n, f) in BENCHES {
        if name.is_none_or(|want| want == *n) {
            println!("== bench {n}");
            f(rest)?;
            ran += 1;
        }
    }
    if ran == 0 {
        let names: Vec<&str> = BENCHES.iter().map(|(n, _)| *n).collect();
        bail!(
            "unknown benchmark {:?}; available: {}",
            name.unwrap_or(""),
            names.join(", ")
        );
    }
    Ok(())
}
