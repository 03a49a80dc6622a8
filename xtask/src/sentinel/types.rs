//! Sentinel step `types`: the emitter's output for every corpus type builds with Go.
//! (Being written; see issue 3.)

use super::Ctx;
use anyhow::Result;

pub fn run(ctx: &Ctx) -> Result<()> {
    let out = crate::util::run(std::process::Command::new(&ctx.go).arg("version"))?;
    eprintln!("{}", String::from_utf8_lossy(&out.stdout).trim());
    Ok(())
}
