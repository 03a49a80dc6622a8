//! `cargo xtask bench synth`: full synthesis for every package of a surface (render only, the
//! surface preloaded), once per package as its own surface, under the standard profile (runtime
//! and shims) and under the embedded profile (subset check, linkname and wasm wrappers).
//!
//! Usage: `cargo bench -p gobridge --bench synth -- SURFACE.json [ROUNDS]`. Prints one line per
//! profile with total time, files and files/s (best of ROUNDS, default 5).

use apisurface::Surface;
use gobridge::{Config, Options, synthesize};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(path) = args.first() else {
        eprintln!("usage: synth SURFACE.json [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let text = std::fs::read_to_string(path).expect("surface file");
    let surface: Surface = serde_json::from_str(&text).expect("surface JSON");
    let per_package: Vec<Surface> = surface
        .packages
        .iter()
        .map(|p| Surface {
            module: surface.module.clone(),
            go_version: surface.go_version.clone(),
            packages: vec![p.clone()],
            ..Surface::default()
        })
        .collect();
    for (name, config) in [
        ("standard", Config::default()),
        (
            "embedded",
            Config::parse(
                "[go]\ndefault_profile = \"embedded\"\ntargets = [\"cgo\", \"wasip1\"]\n",
                "bench.toml".as_ref(),
            )
            .expect("config"),
        ),
    ] {
        let mut best = Duration::MAX;
        let (mut files, mut failed) = (0, 0);
        for _ in 0..rounds {
            let (mut f, mut x) = (0, 0);
            let t = Instant::now();
            for s in &per_package {
                match synthesize(s, &config, &Options::default()) {
                    Ok(g) => f += g.files.len(),
                    Err(_) => x += 1,
                }
            }
            best = best.min(t.elapsed());
            (files, failed) = (f, x);
        }
        println!(
            "synth {name}: {} packages, {files} files, {failed} refused runs, {:.1} ms, {:.0} files/s",
            per_package.len(),
            best.as_secs_f64() * 1e3,
            files as f64 / best.as_secs_f64()
        );
    }
}
