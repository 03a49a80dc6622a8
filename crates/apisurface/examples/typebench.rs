//! Throughput of [`apisurface::TypeTree::parse`], [`apisurface::parse_type`] and `Display` over
//! a type corpus; run by `cargo xtask bench types` in release mode (this is not a usage example).
//!
//! Usage: `typebench FILE [MIN_MILLIS]`. Reads one type string per line (lines starting with `#`
//! are skipped), checks each round-trips and that both parsers agree, then repeats each operation
//! over the whole list until at least `MIN_MILLIS` (default 1000) have passed, and prints one line
//! per operation: `parse types=N bytes=B ns_per_type=X mb_per_s=Y`, where `parse` is the flat
//! tree, `parse_owned` the owned `GoType` and `print` is `Display`.

use apisurface::{GoType, TypeTree, parse_type};
use std::fmt::Write;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    if let Err(e) = run() {
        eprintln!("typebench: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let file = args.next().ok_or("usage: typebench FILE [MIN_MILLIS]")?;
    let min = Duration::from_millis(
        args.next()
            .map(|s| s.parse().map_err(|e| format!("MIN_MILLIS: {e}")))
            .transpose()?
            .unwrap_or(1000),
    );
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if lines.is_empty() {
        return Err(format!("{file}: no type strings"));
    }
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    let mut trees: Vec<GoType> = Vec::with_capacity(lines.len());
    for l in &lines {
        let t = parse_type(l).map_err(|e| format!("{l}: {e}"))?;
        if t.to_string() != *l {
            return Err(format!("{l}: does not round-trip"));
        }
        let tree = TypeTree::parse(l).map_err(|e| format!("{l}: {e}"))?;
        if tree.to_go_type() != t || tree.root().text() != *l {
            return Err(format!("{l}: TypeTree and parse_type disagree"));
        }
        trees.push(t);
    }

    let (n, took) = repeat(min, || {
        for l in &lines {
            black_box(TypeTree::parse(black_box(l)).ok());
        }
    });
    report("parse", lines.len(), bytes, n, took);

    let (n, took) = repeat(min, || {
        for l in &lines {
            black_box(parse_type(black_box(l)).ok());
        }
    });
    report("parse_owned", lines.len(), bytes, n, took);

    let mut buf = String::with_capacity(4096);
    let (n, took) = repeat(min, || {
        for t in &trees {
            buf.clear();
            let _ = write!(buf, "{t}");
            black_box(&buf);
        }
    });
    report("print", lines.len(), bytes, n, took);
    Ok(())
}

/// Runs `f` (one pass over the corpus) until `min` has passed; returns passes and time.
fn repeat(min: Duration, mut f: impl FnMut()) -> (u32, Duration) {
    f(); // warm-up
    let start = Instant::now();
    let mut n = 0;
    while n == 0 || start.elapsed() < min {
        f();
        n += 1;
    }
    (n, start.elapsed())
}

fn report(op: &str, types: usize, bytes: usize, passes: u32, took: Duration) {
    let secs = took.as_secs_f64();
    let ns_per_type = secs * 1e9 / (types as f64 * f64::from(passes));
    let mb_per_s = (bytes as f64 * f64::from(passes)) / secs / 1e6;
    println!(
        "{op} types={types} bytes={bytes} ns_per_type={ns_per_type:.1} mb_per_s={mb_per_s:.1}"
    );
}
