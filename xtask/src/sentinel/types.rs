//! Sentinel step `types`: every corpus type the emitter accepts builds as Go source.
//!
//! Reads `testdata/types/*.txt`, parses each type string, emits it with the shared emitter into a
//! scratch module as `var _ T` (with the imports it recorded), then requires `gofmt -l` to list
//! nothing and `go vet` and `go build` to pass. Every refusal must carry a stated reason; the
//! counts per reason are printed. A corpus line that does not parse fails the step.

use super::Ctx;
use crate::util::{self, gofmt_check, root, scratch, write};
use anyhow::{Context, Result, bail};
use apisurface::{EmitContext, EmitError, GoFile, GoWriter, ImportSet, emit_type, parse_type};
use std::collections::BTreeMap;
use std::process::Command;

pub fn run(ctx: &Ctx) -> Result<()> {
    let types = read_corpus()?;
    if types.is_empty() {
        bail!("no corpus types found under testdata/types/");
    }
    let dir = scratch("sentinel-types")?;
    let module = "example.com/gobridge/typesentinel";
    let mut imports = ImportSet::new();
    let mut body = GoWriter::new();
    let mut refused: BTreeMap<String, usize> = BTreeMap::new();
    let mut emitted = 0usize;
    let ectx = EmitContext::new().target(module);
    for (file, line, text) in &types {
        let ty = parse_type(text)
            .with_context(|| format!("{file}:{line}: corpus type does not parse: {text}"))?;
        // Emit into a throwaway import set first so a refused type leaves no unused import.
        let mut trial = imports.clone();
        match emit_type(&ty, &ectx, &mut trial) {
            Ok(src) => {
                imports = trial;
                body.line(format!("var _ {src}"));
                emitted += 1;
            }
            Err(e) => *refused.entry(reason(&e).to_string()).or_default() += 1,
        }
    }
    let file = GoFile::new("typesentinel")
        .imports(imports)
        .body(body.finish())
        .render()?;
    write(&dir.join("go.mod"), format!("module {module}\n\ngo 1.21\n"))?;
    write(&dir.join("types.go"), &file)?;

    gofmt_check(&ctx.go, &dir)?;
    util::run(
        Command::new(&ctx.go)
            .args(["vet", "./..."])
            .current_dir(&dir),
    )?;
    util::run(
        Command::new(&ctx.go)
            .args(["build", "./..."])
            .current_dir(&dir),
    )?;

    println!(
        "types: {} corpus types, {emitted} emitted and built, {} refused",
        types.len(),
        types.len() - emitted
    );
    for (why, n) in &refused {
        println!("  refused {n:>6}  {why}");
    }
    Ok(())
}

/// `(file, 1-based line, type string)` for every non-comment line of the corpus.
fn read_corpus() -> Result<Vec<(String, usize, String)>> {
    let dir = root().join("testdata").join("types");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&f)?;
        for (i, l) in text.lines().enumerate() {
            if l.is_empty() || l.starts_with('#') || l.starts_with("//") {
                continue;
            }
            out.push((name.clone(), i + 1, l.to_string()));
        }
    }
    Ok(out)
}

/// A stable, short reason for a refusal (the error kind, not the instance).
fn reason(e: &EmitError) -> &'static str {
    match e {
        EmitError::Unexported { .. } => "unexported name of another package",
        EmitError::UnexportedMember { .. } => "literal type with unexported fields/methods",
        EmitError::Untyped { .. } => "untyped constant type",
        EmitError::FreeTypeParam { .. } => "type parameter not in scope",
        EmitError::UnresolvedName { .. } => {
            "unqualified name of its own package (no home package in a corpus line)"
        }
        EmitError::ConstraintOnly { .. } => "constraint-only type in value position",
        EmitError::MisplacedVariadic { .. } => "variadic `...T` outside a parameter list",
        EmitError::MixedParamNames => "mixed named/unnamed parameters",
        EmitError::GenericFuncLiteral => "generic function literal",
        EmitError::NotImportable { .. } => "package not importable here (internal/vendor)",
        EmitError::Invalid { .. } => "invalid identifier, path or tag",
        _ => "other",
    }
}
