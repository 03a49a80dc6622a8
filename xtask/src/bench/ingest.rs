//! `cargo xtask bench ingest`: wall time to ingest all of `std` — cold (helper built, no result
//! cache), warm (result cache hit), and the first run ever (helper build included) — next to
//! `go list -json -export -deps std` alone, measured in the same run, with the ratios.

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

    let go_list = median(rounds, || {
        let t = Instant::now();
        let st = Command::new(&go)
            .args(["list", "-json", "-export", "-deps", "std"])
            .stdout(Stdio::null())
            .status()?;
        if !st.success() {
            bail!("go list failed: {st}");
        }
        Ok(t.elapsed())
    })?;
    let cold = median(rounds, || {
        let t = Instant::now();
        let r = ingest(&["std"], &opts().result_cache(false))?;
        let d = t.elapsed();
        std::hint::black_box(r.json().len());
        Ok(d)
    })?;
    ingest(&["std"], &opts())?; // fill the result cache
    let warm = median(rounds * 4, || {
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
        "  ingest, cold (no result cache)    {:>9.1} ms  = {:.2}x go list (goal <= 1.5x)",
        ms(cold),
        ms(cold) / ms(go_list)
    );
    println!(
        "  ingest, warm (result cache hit)   {:>9.1} ms  = {:.3}x go list (goal <= 50 ms)",
        ms(warm),
        ms(warm) / ms(go_list)
    );
    Ok(())
}

fn median(n: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    let mut v = (0..n.max(1)).map(|_| f()).collect::<Result<Vec<_>>>()?;
    v.sort();
    Ok(v[v.len() / 2])
}
