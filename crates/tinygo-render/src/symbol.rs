//! Link-time symbol names of Go functions and methods, in the form each compiler uses.
//!
//! | target | gc (`cmd/link`) | TinyGo |
//! |---|---|---|
//! | function | `path.Func` | `path.Func` |
//! | pointer-receiver method | `path.(*T).M` | `(*path.T).M` |
//! | value-receiver method | `path.T.M` | `(path.T).M` |
//!
//! TinyGo names every function by go/ssa's `RelString`, so a value-receiver method is
//! `(path.T).M`, not gc's `path.T.M`: a TinyGo build that links `path.T.M` fails with
//! "undefined symbol" (checked with TinyGo 0.40.1 by the `linkname` sentinel step).
//!
//! Import paths are written unescaped (`gopkg.in/yaml.v3.Node.Decode`); gc accepts that form in a
//! `//go:linkname` directive (checked with Go 1.26). Because the last path element may contain
//! dots, a string in the `path.X` / `path.T.X` forms is split by one fixed rule: the package's
//! last element takes its first dot-separated segment, then every following segment that is not
//! a Go identifier or is a major-version suffix (`v3`); what remains must be one identifier (a
//! function) or two (a value-receiver method). A package whose whole path is a dotted host
//! without a slash (`example.com`) cannot be told apart from a method this way; build its
//! [`TargetSymbol`] directly instead of parsing.

use apisurface::validate::{check_identifier, check_import_path};
use std::fmt;

/// The compiler whose linker resolves the symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Compiler {
    /// The standard Go toolchain (`cmd/compile` + `cmd/link`).
    #[default]
    Gc,
    /// TinyGo (LLVM based).
    TinyGo,
}

impl Compiler {
    /// `gc` or `tinygo`.
    pub fn as_str(self) -> &'static str {
        match self {
            Compiler::Gc => "gc",
            Compiler::TinyGo => "tinygo",
        }
    }

    /// The symbol forms this compiler uses, for error messages.
    pub fn forms(self) -> &'static str {
        match self {
            Compiler::Gc => "`path.Func`, `path.(*T).M` or `path.T.M`",
            Compiler::TinyGo => "`path.Func`, `(*path.T).M` or `(path.T).M`",
        }
    }
}

impl fmt::Display for Compiler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The receiver of a method target.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Receiver {
    /// The receiver's type name (declared in the target's package).
    pub type_name: String,
    /// True for a pointer receiver (`*T`).
    pub pointer: bool,
}

/// A function or method symbol, independent of how a compiler spells it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TargetSymbol {
    /// Import path of the declaring package.
    pub package: String,
    /// The receiver, for a method.
    pub receiver: Option<Receiver>,
    /// Function or method name.
    pub name: String,
}

/// A target symbol string that is not in the form the compiler uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("target symbol {symbol:?} is not a {compiler} symbol ({forms}): {why}")]
pub struct SymbolError {
    /// The string as given.
    pub symbol: String,
    /// The compiler whose form was expected.
    pub compiler: Compiler,
    /// The accepted forms.
    pub forms: &'static str,
    /// What is wrong.
    pub why: String,
}

impl TargetSymbol {
    /// A package-level function.
    pub fn func(package: impl Into<String>, name: impl Into<String>) -> TargetSymbol {
        TargetSymbol {
            package: package.into(),
            receiver: None,
            name: name.into(),
        }
    }

    /// A method of `type_name` (pointer receiver when `pointer`).
    pub fn method(
        package: impl Into<String>,
        type_name: impl Into<String>,
        pointer: bool,
        name: impl Into<String>,
    ) -> TargetSymbol {
        TargetSymbol {
            package: package.into(),
            receiver: Some(Receiver {
                type_name: type_name.into(),
                pointer,
            }),
            name: name.into(),
        }
    }

    /// Parses `symbol` in `compiler`'s form (see the module docs), validating the import path
    /// and every identifier.
    pub fn parse(symbol: &str, compiler: Compiler) -> Result<TargetSymbol, SymbolError> {
        let err = |why: String| SymbolError {
            symbol: symbol.to_string(),
            compiler,
            forms: compiler.forms(),
            why,
        };
        if symbol.contains('[') {
            return Err(err(
                "a generic instantiation cannot be a linkname target (its symbol name is chosen \
                 by the compiler)"
                    .into(),
            ));
        }
        let parsed = if let Some(rest) = symbol.strip_prefix('(') {
            let (pointer, rest) = match rest.strip_prefix('*') {
                Some(r) => (true, r),
                None => (false, rest),
            };
            if compiler == Compiler::Gc {
                return Err(err(if pointer {
                    "gc writes a pointer-receiver method as `path.(*T).M`, not `(*path.T).M`".into()
                } else {
                    "gc writes a value-receiver method as `path.T.M`, not `(path.T).M`".into()
                }));
            }
            let form = if pointer { "(*path.T).M" } else { "(path.T).M" };
            let (inside, method) = rest
                .split_once(").")
                .ok_or_else(|| err(format!("expected `{form}`")))?;
            let (pkg, ty) = inside
                .rsplit_once('.')
                .ok_or_else(|| err(format!("expected `{form}`")))?;
            TargetSymbol::method(pkg, ty, pointer, method)
        } else if let Some(at) = symbol.find(".(*") {
            if compiler == Compiler::TinyGo {
                return Err(err(
                    "TinyGo writes a pointer-receiver method as `(*path.T).M`, not `path.(*T).M`"
                        .into(),
                ));
            }
            let pkg = &symbol[..at];
            let (ty, method) = symbol[at + 3..]
                .split_once(").")
                .ok_or_else(|| err("expected `path.(*T).M`".into()))?;
            TargetSymbol::method(pkg, ty, true, method)
        } else {
            let (dir, last) = match symbol.rfind('/') {
                Some(i) => (&symbol[..=i], &symbol[i + 1..]),
                None => ("", symbol),
            };
            let segs: Vec<&str> = last.split('.').collect();
            if segs.len() < 2 {
                return Err(err("expected a `.` between the package and the name".into()));
            }
            let mut k = 1;
            while k < segs.len() - 1 && (check_identifier(segs[k]).is_err() || is_major(segs[k])) {
                k += 1;
            }
            let pkg = format!("{dir}{}", segs[..k].join("."));
            match &segs[k..] {
                [name] => TargetSymbol::func(pkg, *name),
                [_, _] if compiler == Compiler::TinyGo => {
                    return Err(err(
                        "TinyGo writes a value-receiver method as `(path.T).M`, not `path.T.M`"
                            .into(),
                    ));
                }
                [ty, name] => TargetSymbol::method(pkg, *ty, false, *name),
                _ => {
                    return Err(err(
                        "too many `.`-separated names after the package path".into()
                    ));
                }
            }
        };
        parsed.check().map_err(err)?;
        Ok(parsed)
    }

    /// Validates the import path and the identifiers.
    fn check(&self) -> Result<(), String> {
        check_import_path(&self.package).map_err(|e| format!("package: {e}"))?;
        if let Some(r) = &self.receiver {
            check_identifier(&r.type_name).map_err(|e| format!("receiver type: {e}"))?;
        }
        check_identifier(&self.name).map_err(|e| format!("name: {e}"))?;
        if self.name == "_" {
            return Err("name: the blank identifier cannot be linked".into());
        }
        Ok(())
    }

    /// The symbol as `compiler` spells it. Call only on a validated symbol (from
    /// [`TargetSymbol::parse`] or a checked spec); the parts are written as they are.
    pub fn symbol(&self, compiler: Compiler) -> String {
        match (&self.receiver, compiler) {
            (None, _) => format!("{}.{}", self.package, self.name),
            (Some(r), Compiler::Gc) if r.pointer => {
                format!("{}.(*{}).{}", self.package, r.type_name, self.name)
            }
            (Some(r), Compiler::Gc) => format!("{}.{}.{}", self.package, r.type_name, self.name),
            (Some(r), Compiler::TinyGo) => {
                let star = if r.pointer { "*" } else { "" };
                format!("({star}{}.{}).{}", self.package, r.type_name, self.name)
            }
        }
    }

    /// True when the package is in the standard library (no dot in the first path element).
    pub fn is_std(&self) -> bool {
        apisurface::validate::is_std_path(&self.package)
    }

    /// True when a wrapper outside the package could call the target by name: the function (or
    /// method) and its receiver type are exported.
    pub fn is_exported(&self) -> bool {
        apisurface::validate::is_exported(&self.name)
            && self
                .receiver
                .as_ref()
                .is_none_or(|r| apisurface::validate::is_exported(&r.type_name))
    }
}

fn is_major(s: &str) -> bool {
    s.len() > 1 && s.starts_with('v') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_each_form() {
        let cases = [
            (
                Compiler::Gc,
                "example.com/lnfixture.Double",
                TargetSymbol::func("example.com/lnfixture", "Double"),
            ),
            (
                Compiler::Gc,
                "example.com/lnfixture.(*Thing).Scale",
                TargetSymbol::method("example.com/lnfixture", "Thing", true, "Scale"),
            ),
            (
                Compiler::TinyGo,
                "(*example.com/lnfixture.Thing).Scale",
                TargetSymbol::method("example.com/lnfixture", "Thing", true, "Scale"),
            ),
            (
                Compiler::Gc,
                "example.com/lnfixture.Thing.Get",
                TargetSymbol::method("example.com/lnfixture", "Thing", false, "Get"),
            ),
            (
                Compiler::TinyGo,
                "(example.com/lnfixture.Thing).Get",
                TargetSymbol::method("example.com/lnfixture", "Thing", false, "Get"),
            ),
            (
                Compiler::TinyGo,
                "gopkg.in/yaml.v3.Unmarshal",
                TargetSymbol::func("gopkg.in/yaml.v3", "Unmarshal"),
            ),
            (
                Compiler::Gc,
                "gopkg.in/yaml.v3.Node.Decode",
                TargetSymbol::method("gopkg.in/yaml.v3", "Node", false, "Decode"),
            ),
            (
                Compiler::Gc,
                "gopkg.in/yaml.v3.Unmarshal",
                TargetSymbol::func("gopkg.in/yaml.v3", "Unmarshal"),
            ),
            (
                Compiler::TinyGo,
                "(*gopkg.in/yaml.v3.Node).Decode",
                TargetSymbol::method("gopkg.in/yaml.v3", "Node", true, "Decode"),
            ),
            (
                Compiler::Gc,
                "strings.(*Builder).String",
                TargetSymbol::method("strings", "Builder", true, "String"),
            ),
            (
                Compiler::Gc,
                "example.com/lnfixture.secret",
                TargetSymbol::func("example.com/lnfixture", "secret"),
            ),
        ];
        for (c, s, want) in cases {
            let got = TargetSymbol::parse(s, c).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(got, want, "{s}");
            assert_eq!(got.symbol(c), s, "round trip {s}");
        }
    }

    #[test]
    fn compiler_forms_are_not_mixed() {
        let e = TargetSymbol::parse("example.com/x.(*T).M", Compiler::TinyGo).unwrap_err();
        assert!(e.why.contains("(*path.T).M"), "{e}");
        let e = TargetSymbol::parse("(*example.com/x.T).M", Compiler::Gc).unwrap_err();
        assert!(e.why.contains("path.(*T).M"), "{e}");
        let e = TargetSymbol::parse("(example.com/x.T).M", Compiler::Gc).unwrap_err();
        assert!(e.why.contains("path.T.M"), "{e}");
        let e = TargetSymbol::parse("example.com/x.T.M", Compiler::TinyGo).unwrap_err();
        assert!(e.why.contains("(path.T).M"), "{e}");
        let v = TargetSymbol::method("example.com/x", "T", false, "M");
        assert_eq!(v.symbol(Compiler::Gc), "example.com/x.T.M");
        assert_eq!(v.symbol(Compiler::TinyGo), "(example.com/x.T).M");
        let m = TargetSymbol::method("example.com/x", "T", true, "M");
        assert_eq!(m.symbol(Compiler::Gc), "example.com/x.(*T).M");
        assert_eq!(m.symbol(Compiler::TinyGo), "(*example.com/x.T).M");
    }

    #[test]
    fn refuses_bad_symbols() {
        for s in [
            "",
            "Double",
            "example.com/x.",
            "example.com/x.a.b.c",
            "example.com/x.Map[int]",
            "example.com/x.F\n//go:linkname",
            "example.com/x.func",
            "example.com/x._",
            "example.com/x.(*T)M",
            "example.com/a b.F",
            "example.com/x.(*1T).M",
            "/x.F",
        ] {
            assert!(
                TargetSymbol::parse(s, Compiler::Gc).is_err(),
                "accepted {s:?}"
            );
        }
        let e = TargetSymbol::parse("example.com/x.Map[int]", Compiler::Gc).unwrap_err();
        assert!(e.why.contains("generic"), "{e}");
    }

    #[test]
    fn std_and_exported() {
        assert!(TargetSymbol::func("strings", "Repeat").is_std());
        assert!(TargetSymbol::func("math/bits", "Len").is_std());
        assert!(!TargetSymbol::func("example.com/x", "F").is_std());
        assert!(TargetSymbol::method("example.com/x", "T", true, "M").is_exported());
        assert!(!TargetSymbol::method("example.com/x", "t", true, "M").is_exported());
        assert!(!TargetSymbol::func("example.com/x", "secret").is_exported());
    }
}
