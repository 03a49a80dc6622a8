//! Sentinel step `corpus`: the committed type corpus is what the installed Go prints today.
//!
//! Regenerates `testdata/types/std.txt` into `target/xtask/corpus/` with the same program as
//! `cargo xtask corpus` and requires it to equal the committed file byte for byte. A corpus made
//! by another Go version cannot be compared (the standard library's API changes between
//! releases), so a version mismatch prints `SKIP: corpus made with <v1>, installed <v2>`.

use super::Ctx;
use crate::corpus::{
    STD_FILE, check, committed_path, generate, installed_version, recorded_version,
};
use crate::util::{scratch, write};
use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;

pub fn run(ctx: &Ctx) -> Result<()> {
    let committed_file = committed_path();
    let committed = std::fs::read_to_string(&committed_file)
        .with_context(|| format!("reading {}", committed_file.display()))?;
    let Some(recorded) = recorded_version(&committed) else {
        bail!(
            "{} has no `# go version` header; run `cargo xtask corpus`",
            committed_file.display()
        );
    };
    let installed = installed_version(&ctx.go)?;
    if recorded != installed {
        println!("SKIP: corpus made with {recorded}, installed {installed}");
        return Ok(());
    }
    let fresh = generate(&ctx.go)?;
    let dir = scratch("corpus")?;
    let fresh_file = dir.join(STD_FILE);
    write(&fresh_file, &fresh)?;
    let (lines, bad) = check(&fresh);
    if fresh != committed {
        let old: BTreeSet<&str> = committed.lines().collect();
        let new: BTreeSet<&str> = fresh.lines().collect();
        let mut report = String::new();
        for (sign, only) in [("-", old.difference(&new)), ("+", new.difference(&old))] {
            for l in only.take(20) {
                report.push_str(&format!("  {sign} {l}\n"));
            }
        }
        bail!(
            "the committed corpus {} differs from a fresh one {} (- committed, + fresh):\n{report}\
             run `cargo xtask corpus` and commit testdata/types/{STD_FILE}",
            committed_file.display(),
            fresh_file.display()
        );
    }
    if !bad.is_empty() {
        bail!(
            "{} of {lines} corpus type strings do not round-trip:\n  {}",
            bad.len(),
            bad.iter()
                .take(20)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n  ")
        );
    }
    println!("corpus: {lines} type strings, identical to the committed corpus ({installed})");
    Ok(())
}
