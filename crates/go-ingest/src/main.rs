//! `go-ingest [--dir DIR] [-o FILE] [--keep-going] [--tags a,b] [--go GO] [--cache-dir DIR]
//! [--no-cache] PATTERN...` — writes the packages' `apisurface` JSON to stdout or FILE.

use go_ingest::{Options, ingest};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: go-ingest [--dir DIR] [-o FILE] [--keep-going] [--tags a,b] \
[--go GO] [--cache-dir DIR] [--no-cache] PATTERN...";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("go-ingest: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut opts = Options::default();
    let mut out: Option<PathBuf> = None;
    let mut patterns = Vec::new();
    let mut args = std::env::args().skip(1);
    let value = |flag: &str, args: &mut dyn Iterator<Item = String>| {
        args.next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            "-V" | "--version" => {
                println!("{}", go_ingest::GENERATED_BY);
                return Ok(());
            }
            "--dir" | "-C" => opts = opts.dir(value(&a, &mut args)?),
            "-o" | "--output" => out = Some(PathBuf::from(value(&a, &mut args)?)),
            "--keep-going" => opts = opts.keep_going(true),
            "--no-cache" => opts = opts.result_cache(false),
            "--tags" => {
                let v = value(&a, &mut args)?;
                opts = opts.tags(v.split(',').filter(|t| !t.is_empty()).map(str::to_string));
            }
            "--go" => opts = opts.go(value(&a, &mut args)?),
            "--cache-dir" => opts = opts.cache_dir(value(&a, &mut args)?),
            "--" => {
                patterns.extend(args.by_ref());
            }
            flag if flag.starts_with('-') => return Err(format!("unknown flag {flag}\n{USAGE}")),
            _ => patterns.push(a),
        }
    }
    if patterns.is_empty() {
        return Err(format!("no package patterns\n{USAGE}"));
    }
    let result = ingest(&patterns, &opts).map_err(|e| e.to_string())?;
    let mut bytes = result.json().as_bytes().to_vec();
    bytes.push(b'\n');
    match out {
        Some(path) => write_file(&path, &bytes),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("writing stdout: {e}"))
        }
    }
}

/// Writes through a temporary file and a rename, so a failure never leaves a partial file.
fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let res = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("writing {}: {e}", path.display()));
    }
    Ok(())
}
