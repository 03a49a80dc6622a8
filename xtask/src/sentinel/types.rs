//! Sentinel step `types`: every corpus type the emitter accepts builds as Go source.
//!
//! Reads `testdata/types/*.txt`, parses each type string, emits it with the shared emitter into a
//! scratch module as `var _ T` (with the imports it recorded), then requires `gofmt -l` to list
//! nothing and `go vet` and `go build` to pass. Every refusal must carry a stated reason; the
//! counts per reason are printed. A corpus line that does not parse fails the step.

use super::Ctx;
use crate::util::{self, gofmt_check, root, scratch, write};
use anyhow::{Context, Result, bail};
use apisurface::{
    EmitContext, EmitError, GoFile, GoType, GoWriter, ImportSet, constraint_names, emit_constraint,
    emit_type, parse_type,
};
use std::collections::BTreeMap;

pub fn run(ctx: &Ctx) -> Result<()> {
    let types = read_corpus()?;
    if types.is_empty() {
        bail!("no corpus types found under testdata/types/");
    }
    let dir = scratch("sentinel-types")?;
    let module = "example.com/gobridge/typesentinel";
    // Named constraint interfaces (cmp.Ordered) and real package names come from the std surface:
    // a type string alone cannot tell them.
    let surface = go_ingest::ingest(&["std"], &go_ingest::Options::default().go(&ctx.go))
        .context("ingesting std for constraint names")?
        .into_surface()?;
    let constraints = constraint_names(&surface);
    let names: BTreeMap<String, String> = surface
        .packages
        .iter()
        .map(|p| (p.import_path.clone(), p.name.clone()))
        .collect();
    let base = EmitContext::new()
        .target(module)
        .constraint_names(&constraints)
        .package_names(&names);

    let mut out = Out::default();
    // 1. Every corpus line, as a free-standing type (no home package, no type parameters).
    let mut corpus = Tally::default();
    for (file, line, text) in &types {
        let ty = parse_type(text)
            .with_context(|| format!("{file}:{line}: corpus type does not parse: {text}"))?;
        corpus.add(out.var(&ty, &base));
    }
    // 2. Every type string of the std surface, with its home package and its declaration's type
    //    parameters in scope (a generic declaration becomes a generic function holding the vars).
    let mut std_types = Tally::default();
    for p in &surface.packages {
        let home = base.clone().home(&p.import_path);
        let mut groups: Vec<Group<'_>> = Vec::new();
        for f in &p.funcs {
            for x in f.params.iter().chain(&f.results) {
                add_to(&mut groups, &f.type_params, &x.type_);
            }
        }
        for t in &p.types {
            if !t.alias_of.is_empty() {
                add_to(&mut groups, &t.type_params, &t.alias_of);
            }
            if t.kind != "interface" {
                add_to(&mut groups, &t.type_params, &t.underlying);
            }
            for fl in t.fields.iter().filter(|f| f.exported) {
                add_to(&mut groups, &t.type_params, &fl.type_);
            }
            for m in &t.methods {
                for x in m.params.iter().chain(&m.results) {
                    add_to(&mut groups, &m.type_params, &x.type_);
                }
            }
        }
        for v in p.vars.iter().chain(&p.consts) {
            add_to(&mut groups, &[], &v.type_);
        }
        for (tps, tys) in groups {
            std_types.merge(out.group(tps, &tys, &home)?);
        }
    }

    let file = GoFile::new("typesentinel")
        .imports(out.imports)
        .body(out.body.finish() + out.funcs.as_str())
        .render()?;
    write(&dir.join("go.mod"), format!("module {module}\n\ngo 1.21\n"))?;
    write(&dir.join("types.go"), &file)?;
    gofmt_check(&ctx.go, &dir)?;
    util::run(
        crate::util::go(&ctx.go)
            .args(["vet", "./..."])
            .current_dir(&dir),
    )?;
    util::run(
        crate::util::go(&ctx.go)
            .args(["build", "./..."])
            .current_dir(&dir),
    )?;
    corpus.print("corpus lines (no home package)");
    std_types.print("std surface type strings (with home package and type parameters)");
    Ok(())
}

/// The type strings of one declaration, with its type parameters.
type Group<'s> = (&'s [apisurface::TypeParam], Vec<&'s str>);

/// Adds `ty` to the group of `tps` (the same declaration's slice), or starts one.
fn add_to<'s>(groups: &mut Vec<Group<'s>>, tps: &'s [apisurface::TypeParam], ty: &'s str) {
    match groups.iter_mut().find(|(t, _)| std::ptr::eq(*t, tps)) {
        Some((_, v)) => v.push(ty),
        None => groups.push((tps, vec![ty])),
    }
}

/// The file being built.
#[derive(Default)]
struct Out {
    imports: ImportSet,
    body: GoWriter,
    /// Generic functions, written after the vars, each preceded by a blank line.
    funcs: GoWriter,
}

impl Out {
    /// Emits `var _ T`; a refused type leaves no trace (imports are tried on a copy first).
    fn var(&mut self, ty: &GoType, ctx: &EmitContext<'_>) -> Result<(), &'static str> {
        let ty = match ty {
            GoType::Variadic(e) => GoType::Slice(e.clone()),
            t => t.clone(),
        };
        let mut trial = self.imports.clone();
        let src = emit_type(&ty, ctx, &mut trial).map_err(|e| reason(&e))?;
        self.imports = trial;
        self.body.line(format!("var _ {src}"));
        Ok(())
    }

    /// Emits the types of one declaration; with type parameters, inside `func _[...]() { ... }`.
    fn group(
        &mut self,
        tps: &[apisurface::TypeParam],
        tys: &[&str],
        ctx: &EmitContext<'_>,
    ) -> Result<Tally> {
        let mut tally = Tally::default();
        let parse =
            |s: &str| parse_type(s).with_context(|| format!("std type does not parse: {s}"));
        if tps.is_empty() {
            for t in tys {
                tally.add(self.var(&parse(t)?, ctx));
            }
            return Ok(tally);
        }
        let tp_names: Vec<&str> = tps.iter().map(|t| t.name.as_str()).collect();
        let ctx = ctx.clone().type_params(&tp_names, true);
        let mut trial = self.imports.clone();
        let mut decl = Vec::new();
        for tp in tps {
            match emit_constraint(&parse(&tp.constraint)?, &ctx, &mut trial) {
                Ok(c) => decl.push(format!("{} {c}", tp.name)),
                Err(e) => {
                    tally.add(Err(reason(&e)));
                    return Ok(tally);
                }
            }
        }
        let mut vars = Vec::new();
        for t in tys {
            let ty = match parse(t)? {
                GoType::Variadic(e) => GoType::Slice(e),
                t => t,
            };
            let mut one = trial.clone();
            match emit_type(&ty, &ctx, &mut one) {
                Ok(src) => {
                    trial = one;
                    vars.push(format!("var _ {src}"));
                    tally.add(Ok(()));
                }
                Err(e) => tally.add(Err(reason(&e))),
            }
        }
        self.imports = trial;
        self.funcs.blank();
        self.funcs
            .block(format!("func _[{}]()", decl.join(", ")), |w| {
                for v in &vars {
                    w.line(v);
                }
            });
        Ok(tally)
    }
}

/// Emitted and refused counts, refusals by reason.
#[derive(Default)]
struct Tally {
    emitted: usize,
    refused: BTreeMap<&'static str, usize>,
}

impl Tally {
    fn add(&mut self, r: Result<(), &'static str>) {
        match r {
            Ok(()) => self.emitted += 1,
            Err(why) => *self.refused.entry(why).or_default() += 1,
        }
    }

    fn merge(&mut self, other: Tally) {
        self.emitted += other.emitted;
        for (k, v) in other.refused {
            *self.refused.entry(k).or_default() += v;
        }
    }

    fn print(&self, what: &str) {
        let refused: usize = self.refused.values().sum();
        println!(
            "types: {what}: {} emitted and built, {refused} refused",
            self.emitted
        );
        for (why, n) in &self.refused {
            println!("  refused {n:>6}  {why}");
        }
    }
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
        EmitError::ArrayTooLong { .. } => "array length beyond Go's int",
        EmitError::GenericFuncLiteral => "generic function literal",
        EmitError::NotImportable { .. } => "package not importable here (internal/vendor)",
        EmitError::Invalid { .. } => "invalid identifier, path or tag",
        _ => "other",
    }
}
