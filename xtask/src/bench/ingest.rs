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

    // go list alone and a cold ingest alternate, so both see the same machine load.
    let mut go_list = Vec::new();
    let mut cold = Vec::new();
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        let st = Command::new(&go)
            .args(["list", "-json", "-export", "-deps", "std"])
            .stdout(Stdio::null())
            .status()?;
        if !st.success() {
            bail!("go list failed: {st}");
        }
        go_list.push(t.elapsed());
        let t = Instant::now();
        let r = ingest(&["std"], &opts().result_cache(false))?;
        cold.push(t.elapsed());
        std::hint::black_box(r.json().len());
    }
    let (go_list, cold) = (mid(go_list), mid(cold));
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

    // The CLI's warm re-run (process start, cache check, 2.6 MB to a pipe), when the binary was
    // built next to this one (`cargo build --release -p go-ingest`).
    let cli = std::env::current_exe()?
        .with_file_name(format!("go-ingest{}", std::env::consts::EXE_SUFFIX));
    let cli_warm = if cli.is_file() {
        Some(median(rounds * 4, || {
            let t = Instant::now();
            let st = Command::new(&cli)
                .args(["--go"])
                .arg(&go)
                .args(["--cache-dir"])
                .arg(&cache)
                .arg("std")
                .stdout(Stdio::null())
                .status()?;
            if !st.success() {
                bail!("go-ingest failed: {st}");
            }
            Ok(t.elapsed())
        })?)
    } else {
        None
    };

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
    match cli_warm {
        Some(d) => println!(
            "  go-ingest CLI, warm re-run         {:>9.1} ms  (goal <= 50 ms)",
            ms(d)
        ),
        None => println!(
            "  go-ingest CLI, warm re-run         not measured: build it with \
             `cargo build --release -p go-ingest`"
        ),
    }
    Ok(())
}

fn median(n: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    Ok(mid((0..n.max(1))
        .map(|_| f())
        .collect::<Result<Vec<_>>>()?))
}

fn mid(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}
