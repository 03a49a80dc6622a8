//! `cargo xtask bench synth`: full synthesis for every `std` package surface (render only, the
//! surface preloaded). Goal: ≤ 100 ms in total.

use crate::util::{find_go, root, run_inherit, scratch, write};
use anyhow::{Context, Result};
use std::process::Command;

pub fn run(args: &[String]) -> Result<()> {
    let go = find_go().context("bench synth needs go to ingest std")?;
    let surface = go_ingest::ingest(&["std"], &go_ingest::Options::default().go(&go))?;
    let path = scratch("bench-synth")?.join("std.json");
    write(&path, surface.json())?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["bench", "-q", "-p", "gobridge", "--bench", "synth", "--"])
        .arg(&path);
    cmd.args(args).current_dir(root());
    run_inherit(&mut cmd)?;
    println!("goal: ≤ 100 ms for all std packages (standard profile)");
    Ok(())
}
