//! `cargo xtask corpus`: regenerates `testdata/types/` from the installed Go. (Being written.)

use anyhow::{Result, bail};

pub fn run(_args: &[String]) -> Result<()> {
    bail!("corpus: not written yet (issue 3)")
}
