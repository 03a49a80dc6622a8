//! Sentinel step `ingest`: go-ingest against real Go code — the fixture module, the standard
//! library, and a third-party module fetched through the module proxy (the network part lives
//! here, never in `cargo test`).

use super::Ctx;
use anyhow::{Context, Result, bail, ensure};
use apisurface::{Surface, parse_type};
use go_ingest::{Options, ingest};
use sha2::Digest;

/// The third-party module the step fetches: small, stable, and stdlib-only.
const THIRD_PARTY: &str = "golang.org/x/sync";
const THIRD_PARTY_VERSION: &str = "v0.10.0";

pub fn run(ctx: &Ctx) -> Result<()> {
    let cache = crate::util::scratch("ingest-cache")?;
    let opts = || {
        Options::default()
            .go(&ctx.go)
            .cache_dir(&cache)
            .progress(false)
    };

    // 1. The fixture module: deterministic across runs and across the result cache.
    let fixture = crate::util::root().join("testdata/ingest-fixture");
    let cold = ingest(&["./..."], &opts().dir(&fixture))?;
    let warm = ingest(&["./..."], &opts().dir(&fixture))?;
    ensure!(
        warm.from_cache(),
        "second fixture run did not hit the result cache"
    );
    ensure!(
        sha(cold.json()) == sha(warm.json()),
        "fixture output differs between runs"
    );
    let s = cold.into_surface()?;
    ensure!(
        s.packages.len() == 4,
        "fixture: {} packages, want 4",
        s.packages.len()
    );
    round_trip(&s)?;
    eprintln!(
        "ingest: fixture ok ({} packages, sha256 {})",
        s.packages.len(),
        sha(warm.json())
    );

    // 2. The standard library, every type string through the parser.
    let std = ingest(&["std"], &opts().result_cache(false))?.into_surface()?;
    ensure!(
        std.module == "std" && std.packages.len() > 150,
        "std: {} packages",
        std.packages.len()
    );
    let n = round_trip(&std)?;
    eprintln!(
        "ingest: std ok ({} packages, {n} type strings round-trip)",
        std.packages.len()
    );

    // 3. A third-party module through the module proxy, in a throwaway module.
    let dir = crate::util::scratch("ingest-proxy")?;
    crate::util::write(
        &dir.join("go.mod"),
        "module example.invalid/ingestproxy\n\ngo 1.24\n",
    )?;
    crate::util::run(
        crate::util::go(&ctx.go)
            .args(["get", &format!("{THIRD_PARTY}@{THIRD_PARTY_VERSION}")])
            .current_dir(&dir),
    )
    .context("fetching the third-party module (needs the Go module proxy)")?;
    let pkgs = [
        format!("{THIRD_PARTY}/errgroup"),
        format!("{THIRD_PARTY}/semaphore"),
    ];
    let s = ingest(&pkgs, &opts().dir(&dir))?.into_surface()?;
    ensure!(s.module == THIRD_PARTY, "module {:?}", s.module);
    ensure!(s.version == THIRD_PARTY_VERSION, "version {:?}", s.version);
    let eg = s.package(&pkgs[0]).context("errgroup missing")?;
    let group = eg.type_("Group").context("errgroup.Group missing")?;
    let methods: Vec<&str> = group.methods.iter().map(|m| m.name.as_str()).collect();
    ensure!(
        methods == ["Go", "SetLimit", "TryGo", "Wait"],
        "Group methods {methods:?}"
    );
    ensure!(
        group.methods.iter().all(|m| m.receiver_pointer),
        "Group methods use *Group"
    );
    let wc = eg
        .func("WithContext")
        .context("errgroup.WithContext missing")?;
    ensure!(
        wc.params.len() == 1 && wc.params[0].type_ == "context.Context",
        "WithContext params {:?}",
        wc.params
    );
    ensure!(
        eg.imports == ["context"],
        "errgroup imports {:?}",
        eg.imports
    );
    round_trip(&s)?;
    check_unrequired_module(opts().dir(&dir))?;
    eprintln!("ingest: {THIRD_PARTY}@{THIRD_PARTY_VERSION} ok");
    Ok(())
}

fn sha(s: &str) -> String {
    hex::encode(sha2::Sha256::digest(s.as_bytes()))
}

/// Every type string in the surface parses and prints back byte for byte; returns the count.
fn round_trip(s: &Surface) -> Result<usize> {
    let mut n = 0;
    let mut check = |at: &str, ts: &str| -> Result<()> {
        if ts.is_empty() {
            return Ok(());
        }
        n += 1;
        let t = parse_type(ts).map_err(|e| anyhow::anyhow!("{at}: {ts:?}: {e}"))?;
        if t.to_string() != ts {
            bail!("{at}: {ts:?} prints back as {:?}", t.to_string());
        }
        Ok(())
    };
    for p in &s.packages {
        let funcs = p
            .funcs
            .iter()
            .chain(p.types.iter().flat_map(|t| t.methods.iter()));
        let funcs = funcs.chain(p.types.iter().flat_map(|t| t.interface_methods.iter()));
        for f in funcs {
            let at = format!("{}.{}", p.import_path, f.name);
            for x in f.params.iter().chain(&f.results) {
                check(&at, &x.type_)?;
            }
            for tp in &f.type_params {
                check(&at, &tp.constraint)?;
            }
        }
        for t in &p.types {
            let at = format!("{}.{}", p.import_path, t.name);
            check(&at, &t.underlying)?;
            check(&at, &t.alias_of)?;
            for f in &t.fields {
                check(&at, &f.type_)?;
            }
            for e in &t.embedded_types {
                check(&at, e)?;
            }
            for tp in &t.type_params {
                check(&at, &tp.constraint)?;
            }
        }
        for v in p.consts.iter().chain(&p.vars) {
            check(&format!("{}.{}", p.import_path, v.name), &v.type_)?;
        }
    }
    Ok(n)
}

/// A pattern naming a module the throwaway module does not require is a typed error.
fn check_unrequired_module(opts: Options) -> Result<()> {
    match ingest(&["github.com/google/uuid"], &opts) {
        Err(go_ingest::IngestError::NoMatch { pattern, .. })
            if pattern == "github.com/google/uuid" =>
        {
            Ok(())
        }
        other => bail!("expected NoMatch for an unrequired module, got {other:?}"),
    }
}
