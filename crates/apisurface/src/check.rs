//! Whole-surface validation: every name, path, version, type string and tag of a [`Surface`]
//! checked for the place it can land in generated code, before any renderer sees it.
//!
//! ```
//! use apisurface::{Surface, Package};
//! let mut s = Surface::default();
//! s.packages.push(Package { import_path: "-flag".into(), name: "p".into(), ..Package::default() });
//! let err = s.validate().unwrap_err();
//! assert_eq!(err.problems[0].location, "package -flag: import path");
//! ```

use crate::model::{Field, Func, Package, Param, Surface, Type, TypeParam, Value};
use crate::parse::{ParseError, parse_type};
use crate::validate::{
    ValidationError, check_comment_text, check_identifier, check_import_path, check_module_version,
};

/// What is wrong with one value of a surface.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A name, path, version or tag that cannot be written where it would land.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A type string that is not a go/types type string.
    #[error("type string {text:?}: {source}")]
    Type {
        /// The type string.
        text: String,
        /// The parser's error.
        #[source]
        source: ParseError,
    },
}

/// One bad value: where it is (`package p: func F param 0 type`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {kind}")]
pub struct Problem {
    /// Where in the surface.
    pub location: String,
    /// What is wrong.
    #[source]
    pub kind: ProblemKind,
}

/// A surface with values that must not reach generated code; every problem is listed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the surface has {} invalid value(s); first: {}", .problems.len(), .problems[0])]
pub struct SurfaceInvalid {
    /// Every problem, in document order.
    pub problems: Vec<Problem>,
}

impl Surface {
    /// Checks every name, import path, version, type string and tag of the surface (see the
    /// [module docs](crate::check)). Synthesis runs this first; callers may run it earlier to
    /// reject a bad surface before doing any work.
    pub fn validate(&self) -> Result<(), SurfaceInvalid> {
        let mut c = Checker::default();
        if !self.module.is_empty() && self.module != "std" {
            c.check("module", check_import_path(&self.module));
        }
        if !self.version.is_empty() {
            c.check("version", check_module_version(&self.version));
        }
        for p in &self.packages {
            c.package(p);
        }
        if c.problems.is_empty() {
            Ok(())
        } else {
            Err(SurfaceInvalid {
                problems: c.problems,
            })
        }
    }
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn check(&mut self, location: impl Into<String>, r: Result<(), ValidationError>) {
        if let Err(e) = r {
            self.problems.push(Problem {
                location: location.into(),
                kind: ProblemKind::Invalid(e),
            });
        }
    }

    fn ty(&mut self, location: impl Into<String>, text: &str) {
        if let Err(source) = parse_type(text) {
            self.problems.push(Problem {
                location: location.into(),
                kind: ProblemKind::Type {
                    text: text.to_string(),
                    source,
                },
            });
        }
    }

    fn name(&mut self, location: impl Into<String>, name: &str) {
        self.check(location, check_identifier(name));
    }

    fn package(&mut self, p: &Package) {
        let at = format!("package {}", p.import_path);
        self.check(
            format!("{at}: import path"),
            check_import_path(&p.import_path),
        );
        self.name(format!("{at}: name"), &p.name);
        self.check(format!("{at}: doc"), check_comment_text(&p.doc));
        for (what, list) in [("imports", &p.imports), ("deps", &p.deps)] {
            for (i, path) in list.iter().enumerate() {
                self.check(format!("{at}: {what}[{i}]"), check_import_path(path));
            }
        }
        for f in &p.funcs {
            self.func(&format!("{at}: func {}", f.name), f);
        }
        for t in &p.types {
            self.type_(&format!("{at}: type {}", t.name), t);
        }
        for (what, list) in [("const", &p.consts), ("var", &p.vars)] {
            for v in list {
                self.value(&format!("{at}: {what} {}", v.name), v);
            }
        }
    }

    fn func(&mut self, at: &str, f: &Func) {
        self.name(format!("{at}: name"), &f.name);
        if !f.receiver.is_empty() {
            self.name(format!("{at}: receiver"), &f.receiver);
        }
        self.check(format!("{at}: doc"), check_comment_text(&f.doc));
        self.type_params(at, &f.type_params);
        for (what, list) in [("param", &f.params), ("result", &f.results)] {
            for (i, p) in list.iter().enumerate() {
                self.param(&format!("{at}: {what} {i}"), p);
            }
        }
    }

    fn param(&mut self, at: &str, p: &Param) {
        // `#rvN`: a result the compiler named (see `is_generated_result_name`), i.e. unnamed.
        if !p.name.is_empty() && !crate::validate::is_generated_result_name(&p.name) {
            self.name(format!("{at} name"), &p.name);
        }
        self.ty(format!("{at} type"), &p.type_);
    }

    fn type_params(&mut self, at: &str, tps: &[TypeParam]) {
        for tp in tps {
            self.name(format!("{at}: type parameter"), &tp.name);
            self.ty(
                format!("{at}: type parameter {} constraint", tp.name),
                &tp.constraint,
            );
        }
    }

    fn type_(&mut self, at: &str, t: &Type) {
        self.name(format!("{at}: name"), &t.name);
        self.type_params(at, &t.type_params);
        for (what, text) in [("underlying", &t.underlying), ("alias of", &t.alias_of)] {
            if !text.is_empty() {
                self.ty(format!("{at}: {what}"), text);
            }
        }
        for f in &t.fields {
            self.field(&format!("{at}: field {}", f.name), f);
        }
        for m in t.methods.iter().chain(&t.interface_methods) {
            self.func(&format!("{at}: method {}", m.name), m);
        }
        for (i, e) in t.embedded_types.iter().enumerate() {
            self.ty(format!("{at}: embedded type {i}"), e);
        }
    }

    fn field(&mut self, at: &str, f: &Field) {
        self.name(format!("{at}: name"), &f.name);
        self.ty(format!("{at}: type"), &f.type_);
        self.check(format!("{at}: tag"), check_comment_text(&f.tag));
    }

    fn value(&mut self, at: &str, v: &Value) {
        self.name(format!("{at}: name"), &v.name);
        self.ty(format!("{at}: type"), &v.type_);
        self.check(format!("{at}: doc"), check_comment_text(&v.doc));
        self.check(format!("{at}: value"), check_comment_text(&v.const_));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface() -> Surface {
        serde_json::from_str(include_str!("../../../testdata/example/surface.json"))
            .expect("example surface")
    }

    #[test]
    fn the_example_is_valid() {
        surface().validate().unwrap();
    }

    #[test]
    fn compiler_named_results_are_unnamed_results() {
        // `reflect.Value.Comparable` as ingested: `func() (#rv1 bool)`.
        let mut s = surface();
        s.packages[0].funcs[0].results = vec![Param {
            name: "#rv1".into(),
            type_: "bool".into(),
        }];
        s.validate().unwrap();
        for bad in ["#rv", "#rv01", "#rvx", "#x1"] {
            s.packages[0].funcs[0].results[0].name = bad.into();
            assert!(s.validate().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn every_bad_value_is_listed_with_its_place() {
        let mut s = surface();
        s.version = "v1.0.0\n\nreplace golang.org/x/sys => /some/dir".into();
        s.packages[0].name = "init x".into();
        s.packages[0].funcs[0].params.push(Param {
            name: "p".into(),
            type_: "chan int\n".into(),
        });
        s.packages[0].imports.push("-flag".into());
        let err = s.validate().unwrap_err();
        let places: Vec<&str> = err.problems.iter().map(|p| p.location.as_str()).collect();
        let pkg = &s.packages[0].import_path;
        let f = &s.packages[0].funcs[0];
        let n = f.params.len() - 1;
        assert_eq!(places[0], "version");
        assert_eq!(places[1], format!("package {pkg}: name"));
        assert!(
            places.contains(&format!("package {pkg}: func {}: param {n} type", f.name).as_str())
        );
        assert!(places.iter().any(|p| p.contains(": imports[")));
        assert!(matches!(err.problems[0].kind, ProblemKind::Invalid(_)));
    }
}
