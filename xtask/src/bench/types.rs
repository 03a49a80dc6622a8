//! `cargo xtask bench types [--millis N] [--rounds N]`: type-string parse and print throughput,
//! Rust vs Go.
//!
//! Over the committed corpus (`testdata/types/*.txt`), compares
//! * `apisurface::TypeTree::parse` (the parser: a complete tree, flat, borrowing the input) with
//!   Go's `go/parser.ParseExpr` (which builds a `go/ast` tree),
//! * `apisurface::parse_type` (the same parse, then the owned `GoType` built from it) with the
//!   same Go baseline, and
//! * `apisurface`'s `Display` with Go's `types.ExprString`,
//!
//! on the same type shapes: Go's parser cannot read go/types' import-path qualifiers, so each
//! type is rewritten for it with package names instead (`*net/http.Request` → `*http.Request`,
//! `untyped int` → `int`, `#rv1` → `rv1`). Types with no Go expression form (a top-level `...T`,
//! a generic signature) are left out of both sides. The Rust side runs as a release build of the
//! `typebench` example; the Go side is `testdata/typebench`.

use crate::util::{self, find_go, root, scratch, write};
use anyhow::{Context, Result, bail};
use apisurface::{GoType, InterfaceElem, ParamDecl, Signature, StructField, Term, TypeName};
use apisurface::{parse_type, validate::is_keyword};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

pub fn run(args: &[String]) -> Result<()> {
    let (mut millis, mut rounds) = (1000u64, 3u64);
    util::parse_flags(
        "types",
        args,
        &mut [("--millis", &mut millis), ("--rounds", &mut rounds)],
    )?;
    let rounds = u32::try_from(rounds.max(1)).context("--rounds is too large")?;
    let Some(go) = find_go() else {
        bail!("bench types: `go` not found (set GOBRIDGE_GO or install Go)");
    };

    let (rust_lines, go_lines, skipped) = inputs()?;
    let dir = scratch("bench-types")?;
    let rust_file = dir.join("rust.txt");
    let go_file = dir.join("go.txt");
    write(&rust_file, rust_lines.join("\n") + "\n")?;
    write(&go_file, go_lines.join("\n") + "\n")?;
    println!(
        "types: {} corpus type strings ({} bytes as go/types prints them), {skipped} without a Go \
         expression form left out",
        rust_lines.len(),
        rust_lines.iter().map(|l| l.len()).sum::<usize>()
    );

    // Rust and Go alternate for `rounds` rounds; the best (lowest ns/type) of each is kept, which
    // is the least disturbed measurement on a shared machine.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut rust: BTreeMap<String, Measure> = BTreeMap::new();
    let mut gor: BTreeMap<String, Measure> = BTreeMap::new();
    for _ in 0..rounds {
        let rust_out = util::run(
            Command::new(&cargo)
                .args([
                    "run",
                    "--quiet",
                    "--release",
                    "-p",
                    "apisurface",
                    "--example",
                    "typebench",
                    "--",
                ])
                .arg(&rust_file)
                .arg(millis.to_string())
                .current_dir(root()),
        )?;
        let go_out = util::run(
            crate::util::go(&go)
                .args(["run", "."])
                .arg(&go_file)
                .arg(millis.to_string())
                .current_dir(root().join("testdata").join("typebench"))
                .env("GOWORK", "off")
                .env("GOFLAGS", ""),
        )?;
        keep_best(
            &mut rust,
            parse_report(&String::from_utf8_lossy(&rust_out.stdout))?,
        );
        keep_best(
            &mut gor,
            parse_report(&String::from_utf8_lossy(&go_out.stdout))?,
        );
    }

    println!();
    println!(
        "{:<12} {:>14} {:>10}   {:<22} {:>14} {:>10}   {:>8}",
        "op", "rust ns/type", "rust MB/s", "go baseline", "go ns/type", "go MB/s", "go/rust"
    );
    for (op, go_op, baseline) in [
        ("parse", "parse", "go/parser.ParseExpr"),
        ("parse_owned", "parse", "go/parser.ParseExpr"),
        ("print", "print", "types.ExprString"),
    ] {
        let (Some(r), Some(g)) = (rust.get(op), gor.get(go_op)) else {
            bail!("missing `{op}` line in a benchmark's output");
        };
        println!(
            "{op:<12} {:>14.1} {:>10.1}   {baseline:<22} {:>14.1} {:>10.1}   {:>7.1}x",
            r.ns_per_type,
            r.mb_per_s,
            g.ns_per_type,
            g.mb_per_s,
            g.ns_per_type / r.ns_per_type
        );
    }
    println!(
        "(best of {rounds} alternating rounds of {millis} ms each; MB/s counts each side's own \
         input bytes; the go/rust ratio is per type)"
    );
    println!(
        "parse = TypeTree::parse (flat tree borrowing the input); parse_owned = parse_type (the \
         same parse plus building the owned GoType); goal: parse >= 10x go/parser.ParseExpr"
    );
    Ok(())
}

struct Measure {
    ns_per_type: f64,
    mb_per_s: f64,
}

/// Keeps, per operation, the measurement with the lowest ns/type.
fn keep_best(best: &mut BTreeMap<String, Measure>, new: BTreeMap<String, Measure>) {
    for (op, m) in new {
        match best.get(&op) {
            Some(b) if b.ns_per_type <= m.ns_per_type => {}
            _ => {
                best.insert(op, m);
            }
        }
    }
}

/// Parses `op types=N bytes=B ns_per_type=X mb_per_s=Y` lines.
fn parse_report(out: &str) -> Result<BTreeMap<String, Measure>> {
    let mut m = BTreeMap::new();
    for line in out.lines() {
        let mut words = line.split_whitespace();
        let Some(op) = words.next() else { continue };
        let mut ns = None;
        let mut mb = None;
        for w in words {
            if let Some(v) = w.strip_prefix("ns_per_type=") {
                ns = v.parse().ok();
            } else if let Some(v) = w.strip_prefix("mb_per_s=") {
                mb = v.parse().ok();
            }
        }
        if let (Some(ns_per_type), Some(mb_per_s)) = (ns, mb) {
            m.insert(
                op.to_string(),
                Measure {
                    ns_per_type,
                    mb_per_s,
                },
            );
        }
    }
    if m.is_empty() {
        bail!("no measurements in benchmark output:\n{out}");
    }
    Ok(m)
}

/// `(go/types lines, the same types as Go expressions, lines left out)`.
fn inputs() -> Result<(Vec<String>, Vec<String>, usize)> {
    let dir = root().join("testdata").join("types");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let (mut rust, mut go, mut skipped) = (Vec::new(), Vec::new(), 0);
    for f in &files {
        read_into(f, &mut rust, &mut go, &mut skipped)?;
    }
    if rust.is_empty() {
        bail!("no corpus under {}", dir.display());
    }
    Ok((rust, go, skipped))
}

fn read_into(
    f: &Path,
    rust: &mut Vec<String>,
    go: &mut Vec<String>,
    skipped: &mut usize,
) -> Result<()> {
    let text = std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let t = parse_type(line).with_context(|| format!("{}: {line}", f.display()))?;
        match go_expr(&t) {
            Some(g) => {
                rust.push(line.to_string());
                go.push(g.to_string());
            }
            None => *skipped += 1,
        }
    }
    Ok(())
}

/// A package name usable in a Go expression for an import path (`gopkg.in/yaml.v3` → `yaml`).
fn local_name(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or(path);
    let base = last.split('.').next().unwrap_or(last);
    let mut s: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'p');
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

/// The same type as a Go expression `go/parser` reads, or `None` if it has none.
fn go_expr(t: &GoType) -> Option<GoType> {
    match t {
        GoType::Variadic(_) => None,
        t => conv(t),
    }
}

fn conv(t: &GoType) -> Option<GoType> {
    let b = |t: &GoType| conv(t).map(Box::new);
    Some(match t {
        GoType::Named(n) => GoType::Named(TypeName {
            package: n.package.as_deref().map(|p| local_name(p).into()),
            name: n.name.clone(),
            type_args: n.type_args.iter().map(conv).collect::<Option<_>>()?,
        }),
        GoType::Untyped(k) => GoType::name(k.as_str()),
        GoType::Pointer(e) => GoType::Pointer(b(e)?),
        GoType::Slice(e) => GoType::Slice(b(e)?),
        GoType::Variadic(e) => GoType::Variadic(b(e)?),
        GoType::Array { len, elem } => GoType::Array {
            len: *len,
            elem: b(elem)?,
        },
        GoType::Map { key, value } => GoType::Map {
            key: b(key)?,
            value: b(value)?,
        },
        GoType::Chan { dir, elem } => GoType::Chan {
            dir: *dir,
            elem: b(elem)?,
        },
        GoType::Func(sig) if sig.type_params.is_empty() => GoType::Func(conv_sig(sig)?),
        GoType::Func(_) => return None,
        GoType::Struct(fields) => GoType::Struct(
            fields
                .iter()
                .map(|f| {
                    Some(StructField {
                        name: f.name.clone(),
                        ty: conv(&f.ty)?,
                        tag: f.tag.clone(),
                    })
                })
                .collect::<Option<_>>()?,
        ),
        GoType::Interface(elems) => GoType::Interface(
            elems
                .iter()
                .map(|e| {
                    Some(match e {
                        InterfaceElem::Method { name, sig } => InterfaceElem::Method {
                            name: name.clone(),
                            sig: conv_sig(sig)?,
                        },
                        InterfaceElem::Embedded(t) => InterfaceElem::Embedded(conv(t)?),
                    })
                })
                .collect::<Option<_>>()?,
        ),
        GoType::Union(terms) => GoType::Union(
            terms
                .iter()
                .map(|t| {
                    Some(Term {
                        tilde: t.tilde,
                        ty: conv(&t.ty)?,
                    })
                })
                .collect::<Option<_>>()?,
        ),
    })
}

fn conv_sig(sig: &Signature) -> Option<Signature> {
    let list = |ps: &[ParamDecl]| {
        ps.iter()
            .map(|p| {
                Some(ParamDecl {
                    // `#rv1` (compiler-generated result names) → `rv1`.
                    name: p.name.as_ref().map(|n| n.trim_start_matches('#').into()),
                    ty: conv(&p.ty)?,
                })
            })
            .collect::<Option<Vec<_>>>()
    };
    Some(Signature {
        type_params: Vec::new(),
        params: list(&sig.params)?,
        results: list(&sig.results)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(s: &str) -> Option<String> {
        go_expr(&parse_type(s).unwrap()).map(|t| t.to_string())
    }

    #[test]
    fn rewrites_for_go_parser() {
        assert_eq!(go("*net/http.Request").as_deref(), Some("*http.Request"));
        assert_eq!(go("gopkg.in/yaml.v3.Node").as_deref(), Some("yaml.Node"));
        assert_eq!(go("9fans.net/go/plan9.Dir").as_deref(), Some("plan9.Dir"));
        assert_eq!(go("example.com/go.T").as_deref(), Some("go_.T"));
        assert_eq!(go("untyped float").as_deref(), Some("float"));
        assert_eq!(
            go("func() (#rv1 bool)").as_deref(),
            Some("func() (rv1 bool)")
        );
        assert_eq!(go("func(a ...int)").as_deref(), Some("func(a ...int)"));
        assert_eq!(go("...int"), None);
        assert_eq!(go("func[T any]()"), None);
        assert_eq!(go("[]func[T any]()"), None);
    }
}
