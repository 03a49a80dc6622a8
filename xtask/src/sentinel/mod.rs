//! `cargo xtask sentinel`: proves generated Go with the real Go toolchain.
//!
//! Each step lives in its own module and is listed in [`STEPS`]. A step gets a [`Ctx`] with the
//! `go` binary and returns what it checked; it fails loudly, and prints `SKIP: <reason>` only
//! when a tool it needs is truly absent.

pub(crate) mod bind;
mod bridge;
mod corpus;
pub(crate) mod gobridge;
pub(crate) mod host;
mod ingest;
mod linkname;
mod tinygo_std;
mod types;

use crate::util::find_go;
use anyhow::{Result, bail};
use std::path::PathBuf;

/// What a step sees.
pub struct Ctx {
    /// The `go` binary.
    pub go: PathBuf,
}

type Step = (&'static str, fn(&Ctx) -> Result<()>);

/// Every sentinel step, in order.
const STEPS: &[Step] = &[
    ("corpus", corpus::run),
    ("types", types::run),
    ("tinygo-std", tinygo_std::run),
    ("ingest", ingest::run),
    ("bridge", bridge::run),
    ("host", host::run),
    ("linkname", linkname::run),
    ("gobridge", gobridge::run),
    ("bind", bind::run),
];

pub fn run(args: &[String]) -> Result<()> {
    let mut allow_missing_go = false;
    let mut only: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--allow-missing-go" => allow_missing_go = true,
            "--only" => only = it.next().cloned(),
            other => bail!("sentinel: unknown argument `{other}`"),
        }
    }
    let Some(go) = find_go() else {
        if allow_missing_go {
            println!("SKIP: go not found");
            return Ok(());
        }
        bail!(
            "sentinel: `go` not found on PATH (set GOBRIDGE_GO or install Go); \
             pass --allow-missing-go to skip"
        );
    };
    let ctx = Ctx { go };
    let mut ran = 0;
    for (name, step) in STEPS {
        if only.as_deref().is_some_and(|o| o != *name) {
            continue;
        }
        eprintln!("== sentinel: {name}");
        step(&ctx).map_err(|e| e.context(format!("sentinel step `{name}`")))?;
        println!("sentinel: {name}: ok");
        ran += 1;
    }
    if ran == 0 {
        bail!("sentinel: no step matched");
    }
    Ok(())
}
