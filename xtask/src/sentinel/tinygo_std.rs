//! Sentinel step `tinygo-std`: `tinygo-check` over the whole standard library.
//!
//! Ingests `std` with `go-ingest`, reads the std import graph from `go list -deps`, checks every
//! package under each policy (TinyGo's newest table, its older table, and the seed's MEP-74 list)
//! and compares the report, byte for byte, with the committed `testdata/tinygo/std-report.txt`.
//! The report says how many std packages each policy flags and why (per rule, with an example
//! import chain). After an intended change (new Go release, new table, checker change) rerun with
//! `GOBRIDGE_UPDATE_REPORTS=1`, review the diff and commit it.
//!
//! Besides the snapshot, the step fails if any std type string is unparseable (that is a parser
//! bug, not a TinyGo finding) or if the standard profile flags anything.

use super::Ctx;
use anyhow::{Context, Result, bail};
use apisurface::Surface;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use tinygo_check::{
    ImportGraph, Policy, Profile, StdTable, TableVersion, Violation, ViolationKind,
    check_package_with_graph,
};

const SNAPSHOT: &str = "testdata/tinygo/std-report.txt";

pub fn run(ctx: &Ctx) -> Result<()> {
    let dir = crate::util::scratch("tinygo-std")?;
    let opts = go_ingest::Options::default().go(&ctx.go).dir(&dir);
    let surface = go_ingest::ingest(&["std"], &opts)
        .context("ingesting std")?
        .into_surface()
        .context("reading the std surface")?;
    let graph = import_graph(ctx, &dir)?;
    eprintln!(
        "tinygo-std: {} packages ingested, import graph of {} packages",
        surface.packages.len(),
        graph.len()
    );

    let policies = [
        Policy::tinygo(StdTable::builtin(TableVersion::NEWEST)),
        Policy::tinygo(StdTable::builtin(TableVersion::Go1_23)),
        Policy::mep74(),
    ];
    let mut unparseable = Vec::new();
    let mut results = Vec::new();
    for policy in &policies {
        let mut per_pkg: BTreeMap<&str, Vec<Violation>> = BTreeMap::new();
        for pkg in &surface.packages {
            if !check_package_with_graph(Profile::Standard, policy, pkg, Some(&graph)).is_empty() {
                bail!("the standard profile flagged {}", pkg.import_path);
            }
            let v = check_package_with_graph(Profile::Embedded, policy, pkg, Some(&graph));
            for x in v
                .iter()
                .filter(|x| x.kind == ViolationKind::UnparseableType)
            {
                unparseable.push(format!("{}: {}: {}", pkg.import_path, x.where_, x.detail));
            }
            if !v.is_empty() {
                per_pkg.insert(&pkg.import_path, v);
            }
        }
        results.push((policy, per_pkg));
    }
    if !unparseable.is_empty() {
        unparseable.sort();
        unparseable.dedup();
        bail!(
            "{} std type strings do not parse (an apisurface parser bug):\n{}",
            unparseable.len(),
            unparseable.join("\n")
        );
    }

    let platform = platform(ctx, &dir)?;
    let report = render(&surface, &platform, &results);
    let out = dir.join("std-report.txt");
    crate::util::write(&out, &report)?;
    for (policy, per_pkg) in &results {
        println!(
            "tinygo-std: {}: {} of {} std packages flagged",
            policy.name(),
            per_pkg.len(),
            surface.packages.len()
        );
    }
    let snapshot = crate::util::root().join(SNAPSHOT);
    let committed = std::fs::read_to_string(&snapshot).unwrap_or_default();
    if committed != report {
        if std::env::var_os("GOBRIDGE_UPDATE_REPORTS").is_some() {
            crate::util::write(&snapshot, &report)?;
            println!("tinygo-std: wrote {SNAPSHOT}; review and commit it");
            return Ok(());
        }
        bail!(
            "the std report differs from {SNAPSHOT}: compare with {} \
             (rerun with GOBRIDGE_UPDATE_REPORTS=1 after an intended change)",
            out.display()
        );
    }
    Ok(())
}

/// The std import graph: every package `go list -deps std` loads, with its direct imports.
fn import_graph(ctx: &Ctx, dir: &std::path::Path) -> Result<ImportGraph> {
    let out = crate::util::run(crate::util::go(&ctx.go).current_dir(dir).args([
        "list",
        "-deps",
        "-f",
        "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}",
        "std",
    ]))?;
    let text = String::from_utf8(out.stdout).context("go list output is not UTF-8")?;
    let mut g = ImportGraph::new();
    for line in text.lines() {
        let mut it = line.split_whitespace();
        if let Some(pkg) = it.next() {
            g.add_imports(pkg, it);
        }
    }
    // A package importing "C" also depends on runtime/cgo, which cgo adds behind `import "C"`
    // (go list lists it in Deps, not in Imports); "C" stands for that step in a chain.
    g.add_imports("C", ["runtime/cgo"]);
    if g.is_empty() {
        bail!("go list -deps std printed no packages");
    }
    Ok(g)
}

/// Per rule: the packages it flags, the first chain reaching it, the first position found.
type RuleSummary<'a> = (BTreeSet<&'a str>, Option<String>, Option<String>);

type Results<'a> = Vec<(&'a Policy, BTreeMap<&'a str, Vec<Violation>>)>;

/// `GOOS/GOARCH, CGO_ENABLED=x`: the report depends on it (build constraints, cgo imports).
fn platform(ctx: &Ctx, dir: &std::path::Path) -> Result<String> {
    let out = crate::util::run(crate::util::go(&ctx.go).current_dir(dir).args([
        "env",
        "GOOS",
        "GOARCH",
        "CGO_ENABLED",
    ]))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<&str> = text.lines().map(str::trim).collect();
    if v.len() != 3 {
        bail!("go env GOOS GOARCH CGO_ENABLED printed {text:?}");
    }
    Ok(format!("{}/{}, CGO_ENABLED={}", v[0], v[1], v[2]))
}

fn render(surface: &Surface, platform: &str, results: &Results<'_>) -> String {
    let mut s = String::new();
    let go_minor: String = surface
        .go_version
        .split('.')
        .take(2)
        .collect::<Vec<_>>()
        .join(".");
    let total = surface.packages.len();
    let _ = writeln!(
        s,
        "tinygo-check over the standard library: {total} packages ({go_minor}, {platform}, \
         go-ingest std), import graph from `go list -deps std`."
    );
    let newest = StdTable::builtin(TableVersion::NEWEST);
    let unlisted: Vec<&str> = surface
        .packages
        .iter()
        .map(|p| p.import_path.as_str())
        .filter(|p| newest.entry(p).is_none())
        .collect();
    let _ = writeln!(
        s,
        "Not in TinyGo's {} table, so allowed by its policy ({}): {}",
        newest.name(),
        unlisted.len(),
        unlisted.join(", ")
    );
    for (policy, per_pkg) in results {
        let _ = writeln!(
            s,
            "\n== {}: {} of {total} packages flagged",
            policy.name(),
            per_pkg.len()
        );
        let mut kinds: BTreeMap<ViolationKind, usize> = BTreeMap::new();
        // rule -> (packages, example): the first import chain that reaches the rule, else the
        // first position it was found at (packages in order).
        let mut rules: BTreeMap<&str, RuleSummary<'_>> = BTreeMap::new();
        for (pkg, vs) in per_pkg {
            for v in vs {
                *kinds.entry(v.kind).or_default() += 1;
                let entry = rules.entry(v.rule.as_str()).or_default();
                entry.0.insert(pkg);
                if entry.1.is_none() && !v.chain.is_empty() {
                    entry.1 = Some(v.chain.join(" -> "));
                }
                if entry.2.is_none() {
                    entry.2 = Some(format!("{pkg}: [{}] {}", v.kind, v.where_));
                }
            }
        }
        let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = writeln!(s, "violations by kind: {}", kinds.join(", "));
        let _ = writeln!(s, "why (rule: packages flagged, e.g.):");
        for (rule, (pkgs, chain, place)) in &rules {
            let example = chain.as_ref().or(place.as_ref()).map_or("", String::as_str);
            let _ = writeln!(s, "  {rule}: {}, e.g. {example}", pkgs.len());
        }
        let _ = writeln!(s, "flagged packages (kind: rules):");
        for (pkg, vs) in per_pkg {
            let mut by_kind: BTreeMap<ViolationKind, BTreeSet<&str>> = BTreeMap::new();
            for v in vs {
                by_kind.entry(v.kind).or_default().insert(&v.rule);
            }
            let parts: Vec<String> = by_kind
                .iter()
                .map(|(k, r)| format!("{k}: {}", r.iter().copied().collect::<Vec<_>>().join(" ")))
                .collect();
            let _ = writeln!(s, "  {pkg}: {}", parts.join("; "));
        }
    }
    s
}
