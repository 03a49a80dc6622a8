//! Policies: which packages and which named types the embedded profile bans, and why.

use std::collections::BTreeMap;
use std::fmt;

use apisurface::validate::{ValidationError, check_import_path};
use apisurface::{GoType, TypeName, Walk};

use crate::table::StdTable;

/// A package rule: one import path (`net/http`), or a whole tree in Go's pattern notation
/// (`debug/...` matches `debug` and every package below it, such as `debug/elf`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackagePattern {
    // Ordered by its text, so policies list their rules in byte order.
    text: String,
    tree: bool,
}

impl PackagePattern {
    /// Parses `path` or `path/...`; the path part must be a valid import path.
    pub fn parse(pattern: &str) -> Result<PackagePattern, PolicyError> {
        let (path, tree) = match pattern.strip_suffix("/...") {
            Some(p) => (p, true),
            None => (pattern, false),
        };
        check_import_path(path).map_err(|source| PolicyError::Pattern {
            pattern: pattern.to_string(),
            source,
        })?;
        Ok(PackagePattern {
            text: pattern.to_string(),
            tree,
        })
    }

    /// The pattern as written (`debug/...`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The import path part (`debug` for `debug/...`).
    pub fn path(&self) -> &str {
        if self.tree {
            &self.text[..self.text.len() - 4]
        } else {
            &self.text
        }
    }

    /// True for a `path/...` tree pattern.
    pub fn is_tree(&self) -> bool {
        self.tree
    }

    /// True when `import_path` is matched: equal to the path, or (for a tree) below it.
    pub fn matches(&self, import_path: &str) -> bool {
        let path = self.path();
        import_path == path
            || (self.tree
                && import_path.len() > path.len()
                && import_path.starts_with(path)
                && import_path.as_bytes()[path.len()] == b'/')
    }
}

impl fmt::Display for PackagePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A rule that matched, borrowed from its [`Policy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ban<'a> {
    /// The rule as written: a package pattern (`debug/...`, `plugin`) or a type prefix
    /// (`unsafe.Pointer`).
    pub rule: &'a str,
    /// Why the rule exists.
    pub reason: &'a str,
}

/// A rule that could not be added to a policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A package pattern whose path is not a valid import path.
    #[error("banned package pattern {pattern:?}: {source}")]
    Pattern {
        /// The pattern as given.
        pattern: String,
        /// What is wrong with its path.
        source: ValidationError,
    },
    /// A type prefix that cannot match a qualified type name.
    #[error("banned type prefix {prefix:?}: {why}")]
    TypePrefix {
        /// The prefix as given.
        prefix: String,
        /// What is wrong.
        why: &'static str,
    },
}

/// What the embedded profile bans: package rules and type prefixes, each with a reason.
///
/// A **banned import** is an import path matched by a package rule (the most specific rule wins:
/// an exact path before the longest `path/...` tree). A **banned type** is a qualified named
/// type whose package is banned, or whose qualified name (`path.Name`, without type arguments)
/// starts with a banned type prefix. Unqualified names (predeclared types, type parameters, the
/// package's own types) are never banned. Packages a rule does not match are allowed: the policy
/// is a ban list, not an allow list, so third-party packages pass unless banned explicitly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    name: String,
    packages: BTreeMap<PackagePattern, String>,
    type_prefixes: BTreeMap<String, String>,
}

/// The MEP-74 hand list of the phase-16 seed, one rule per item it names, sorted.
///
/// The seed's prose names "the debug/* family" and "go/ast and friends"; they are written here
/// as the trees `debug/...` and `go/...` (every `debug/` and `go/` package, including ones a
/// later Go release adds), which is the reading that keeps the list to the seed's 14 items.
pub const MEP74_PATTERNS: [(&str, &str); 14] = [
    ("debug/...", "the debug/* family"),
    ("encoding/gob", "encoding/gob"),
    ("go/...", "go/ast and friends"),
    ("net/http", "net/http"),
    ("net/rpc", "net/rpc"),
    ("plugin", "plugin"),
    ("reflect", "reflection"),
    ("runtime/cgo", "runtime/cgo"),
    ("runtime/debug", "runtime/debug"),
    ("runtime/pprof", "runtime/pprof"),
    ("runtime/trace", "runtime/trace"),
    ("syscall/js", "syscall/js"),
    ("text/template", "text/template"),
    ("unsafe", "unsafe"),
];

impl Policy {
    /// An empty policy (bans nothing) named `name`, to build a custom one.
    pub fn new(name: impl Into<String>) -> Policy {
        Policy {
            name: name.into(),
            packages: BTreeMap::new(),
            type_prefixes: BTreeMap::new(),
        }
    }

    /// TinyGo's own rule for one release: every package the table marks not importable is
    /// banned with the table's reason. Named `tinygo-<table>` (`tinygo-go1.27`).
    ///
    /// Packages the table does not list are allowed: third-party packages, and std packages
    /// TinyGo's page leaves out (`runtime/...`, `syscall/js`, packages newer than the table).
    /// Add bans with [`Policy::ban_package`] where that is too permissive. `passes_tests = no`
    /// is informational and never a ban.
    pub fn tinygo(table: &StdTable) -> Policy {
        let mut p = Policy::new(format!("tinygo-{}", table.name()));
        for e in table.not_importable() {
            let reason = if e.reason.is_empty() {
                format!("not importable by TinyGo ({} table)", table.name())
            } else {
                format!(
                    "not importable by TinyGo ({} table): {}",
                    table.name(),
                    e.reason
                )
            };
            // Table rows are validated import paths (StdTable::parse), so this always parses.
            if let Ok(pat) = PackagePattern::parse(&e.package) {
                p.packages.insert(pat, reason);
            }
        }
        p
    }

    /// The seed's MEP-74 hand list ([`MEP74_PATTERNS`]), kept for parity; not the default.
    ///
    /// It disagrees with TinyGo's own tables in both directions; the difference below is
    /// computed by this crate's tests from the embedded tables (test `mep74_disagreement_doc`),
    /// never written by hand.
    ///
    #[doc = include_str!("mep74_vs_tinygo.md")]
    pub fn mep74() -> Policy {
        let mut p = Policy::new("mep74");
        for (pattern, what) in MEP74_PATTERNS {
            if let Ok(pat) = PackagePattern::parse(pattern) {
                p.packages
                    .insert(pat, format!("MEP-74 hand list (phase-16 seed): {what}"));
            }
        }
        p
    }

    /// The policy's name (`tinygo-go1.27`, `mep74`, or what [`Policy::new`] was given).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Bans the packages `pattern` matches (`example.com/mod/...`, `net/http`); replaces the
    /// reason of an existing identical rule.
    pub fn ban_package(
        &mut self,
        pattern: &str,
        reason: impl Into<String>,
    ) -> Result<&mut Policy, PolicyError> {
        let pat = PackagePattern::parse(pattern)?;
        self.packages.insert(pat, reason.into());
        Ok(self)
    }

    /// Bans every qualified named type whose `path.Name` starts with `prefix`
    /// (`unsafe.Pointer`, `runtime/cgo.`, `example.com/lib.Unsafe`).
    ///
    /// The prefix must be non-empty printable ASCII without spaces and contain a `.` (it is
    /// matched against qualified names only).
    pub fn ban_type_prefix(
        &mut self,
        prefix: &str,
        reason: impl Into<String>,
    ) -> Result<&mut Policy, PolicyError> {
        let bad = |why| PolicyError::TypePrefix {
            prefix: prefix.to_string(),
            why,
        };
        if prefix.is_empty() {
            return Err(bad("it is empty"));
        }
        if !prefix.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad("only printable ASCII without spaces is allowed"));
        }
        if !prefix.contains('.') {
            return Err(bad(
                "it must contain `.` (it matches qualified names `path.Name`)",
            ));
        }
        self.type_prefixes.insert(prefix.to_string(), reason.into());
        Ok(self)
    }

    /// Package rules and their reasons, sorted by pattern text.
    pub fn package_rules(&self) -> impl Iterator<Item = (&PackagePattern, &str)> {
        self.packages.iter().map(|(p, r)| (p, r.as_str()))
    }

    /// Type-prefix rules and their reasons, sorted.
    pub fn type_prefix_rules(&self) -> impl Iterator<Item = (&str, &str)> {
        self.type_prefixes
            .iter()
            .map(|(p, r)| (p.as_str(), r.as_str()))
    }

    /// The rule banning `import_path`, if any (exact rule first, then the longest tree).
    pub fn package_ban(&self, import_path: &str) -> Option<Ban<'_>> {
        if let Some((pat, reason)) = self.packages.get_key_value(&PackagePattern {
            text: import_path.to_string(),
            tree: false,
        }) {
            return Some(Ban {
                rule: pat.as_str(),
                reason,
            });
        }
        // Longest tree first: the path itself, then each parent.
        let mut prefix = import_path;
        loop {
            let key = PackagePattern {
                text: format!("{prefix}/..."),
                tree: true,
            };
            if let Some((pat, reason)) = self.packages.get_key_value(&key) {
                return Some(Ban {
                    rule: pat.as_str(),
                    reason,
                });
            }
            match prefix.rfind('/') {
                Some(i) => prefix = &prefix[..i],
                None => return None,
            }
        }
    }

    /// The rule banning the named type `name`, if any: its package's rule, else the longest
    /// matching type prefix. Unqualified names are never banned.
    pub fn type_ban(&self, name: &TypeName) -> Option<Ban<'_>> {
        let pkg = name.package.as_deref()?;
        if let Some(b) = self.package_ban(pkg) {
            return Some(b);
        }
        if self.type_prefixes.is_empty() {
            return None;
        }
        let qualified = format!("{pkg}.{}", name.name);
        self.type_prefixes
            .iter()
            .filter(|(p, _)| qualified.starts_with(p.as_str()))
            .max_by_key(|(p, _)| p.len())
            .map(|(p, r)| Ban {
                rule: p.as_str(),
                reason: r.as_str(),
            })
    }
    /// Every banned named type in `ty` (walked to the bottom: elements, map keys and values,
    /// channel elements, signatures, struct fields, interface methods and embeds, union terms,
    /// type arguments, constraints), each qualified name (`reflect.Value`) once, in walk order,
    /// with the rule that bans it.
    pub fn banned_types(&self, ty: &GoType) -> Vec<(String, Ban<'_>)> {
        let mut found: Vec<(String, Ban<'_>)> = Vec::new();
        ty.walk(&mut |n| {
            let hit = match n {
                GoType::Named(name) => self.type_ban(name).map(|ban| (name, ban)),
                _ => None,
            };
            if let Some((name, ban)) = hit {
                let qualified = format!("{}.{}", name.package.as_deref().unwrap_or(""), name.name);
                if !found.iter().any(|(q, _)| *q == qualified) {
                    found.push((qualified, ban));
                }
            }
            Walk::Continue
        });
        found
    }
}

impl Default for Policy {
    /// [`Policy::tinygo`] over the newest embedded table.
    fn default() -> Policy {
        Policy::tinygo(StdTable::newest())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::TableVersion;

    #[test]
    fn patterns_match_exact_and_trees() {
        let exact = PackagePattern::parse("net/http").unwrap();
        assert!(exact.matches("net/http") && !exact.matches("net/http/httptest"));
        assert!(!exact.is_tree() && exact.path() == "net/http");
        let tree = PackagePattern::parse("debug/...").unwrap();
        assert!(tree.is_tree() && tree.path() == "debug");
        assert!(tree.matches("debug") && tree.matches("debug/elf") && tree.matches("debug/a/b"));
        assert!(!tree.matches("debugger") && !tree.matches("x/debug/elf"));
        for bad in ["", "/...", "a b", "net//http", "...", "a/.../b"] {
            assert!(PackagePattern::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn mep74_list_is_sorted_and_complete() {
        let names: Vec<&str> = MEP74_PATTERNS.iter().map(|(p, _)| *p).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "MEP74_PATTERNS must be sorted and unique");
        let p = Policy::mep74();
        let rules: Vec<&str> = p.package_rules().map(|(r, _)| r.as_str()).collect();
        assert_eq!(rules, names);
        for banned in [
            "reflect",
            "unsafe",
            "debug/elf",
            "go/ast",
            "go/types",
            "text/template",
        ] {
            assert!(p.package_ban(banned).is_some(), "{banned}");
        }
        for allowed in [
            "fmt",
            "net/http/httptest",
            "text/template/parse",
            "github.com/x/y",
        ] {
            assert!(p.package_ban(allowed).is_none(), "{allowed}");
        }
    }

    #[test]
    fn tinygo_policy_bans_exactly_the_non_importable_rows() {
        for v in TableVersion::ALL {
            let t = StdTable::builtin(v);
            let p = Policy::tinygo(t);
            assert_eq!(p.name(), format!("tinygo-{v}"));
            for e in t.entries() {
                let ban = p.package_ban(&e.package);
                assert_eq!(ban.is_some(), !e.importable, "{v} {}", e.package);
                if let Some(b) = ban {
                    assert!(b.reason.contains(&e.reason), "{}", b.reason);
                }
            }
        }
        assert_eq!(Policy::default(), Policy::tinygo(StdTable::newest()));
    }

    #[test]
    fn most_specific_rule_wins() {
        let mut p = Policy::new("custom");
        p.ban_package("example.com/m/...", "module")
            .unwrap()
            .ban_package("example.com/m/sub/...", "sub tree")
            .unwrap()
            .ban_package("example.com/m/sub/x", "exact")
            .unwrap();
        assert_eq!(
            p.package_ban("example.com/m").unwrap().rule,
            "example.com/m/..."
        );
        assert_eq!(p.package_ban("example.com/m/a").unwrap().reason, "module");
        assert_eq!(
            p.package_ban("example.com/m/sub/y").unwrap().reason,
            "sub tree"
        );
        assert_eq!(
            p.package_ban("example.com/m/sub/x").unwrap().reason,
            "exact"
        );
        assert!(p.package_ban("example.com/mod").is_none());
    }

    #[test]
    fn type_bans_by_package_and_prefix() {
        let mut p = Policy::new("custom");
        p.ban_package("reflect", "no reflection").unwrap();
        p.ban_type_prefix("unsafe.Pointer", "raw pointers").unwrap();
        p.ban_type_prefix("example.com/lib.Unsafe", "lib's unsafe types")
            .unwrap();
        let q = |pkg: &str, n: &str| TypeName {
            package: Some(pkg.into()),
            name: n.into(),
            type_args: vec![],
        };
        assert_eq!(p.type_ban(&q("reflect", "Value")).unwrap().rule, "reflect");
        assert_eq!(
            p.type_ban(&q("unsafe", "Pointer")).unwrap().rule,
            "unsafe.Pointer"
        );
        assert!(p.type_ban(&q("unsafe", "Sizeof")).is_none());
        assert!(p.type_ban(&q("example.com/lib", "UnsafeBuf")).is_some());
        assert!(p.type_ban(&q("example.com/lib", "Buf")).is_none());
        let local = TypeName {
            package: None,
            name: "Value".into(),
            type_args: vec![],
        };
        assert!(p.type_ban(&local).is_none());
        for bad in ["", "no dot", "unsafe", "tab\t.x"] {
            assert!(p.ban_type_prefix(bad, "r").is_err(), "{bad:?}");
        }
    }

    /// Every position the walker must see, built by hand (independent of the parser).
    #[test]
    fn banned_types_are_found_in_every_position() {
        use apisurface::{
            ChanDir, InterfaceElem, ParamDecl, Signature, StructField, Term, TypeParamGroup,
        };
        let bad = || GoType::qualified("reflect", "Value");
        let ok = || GoType::qualified("example.com/x", "Value");
        let b = Box::new;
        let sig = |params: Vec<GoType>, results: Vec<GoType>| Signature {
            type_params: vec![],
            params: params
                .into_iter()
                .map(|ty| ParamDecl { name: None, ty })
                .collect(),
            results: results
                .into_iter()
                .map(|ty| ParamDecl { name: None, ty })
                .collect(),
        };
        let generic = |arg: GoType| {
            GoType::Named(TypeName {
                package: Some("iter".into()),
                name: "Seq2".into(),
                type_args: vec![GoType::name("int"), arg],
            })
        };
        type Wrap = Box<dyn Fn(GoType) -> GoType>;
        let positions: Vec<(&str, Wrap)> = vec![
            ("bare", Box::new(|t| t)),
            ("pointer", Box::new(move |t| GoType::Pointer(b(t)))),
            ("slice", Box::new(move |t| GoType::Slice(b(t)))),
            (
                "array",
                Box::new(move |t| GoType::Array { len: 2, elem: b(t) }),
            ),
            ("variadic", Box::new(move |t| GoType::Variadic(b(t)))),
            (
                "map key (array elem)",
                Box::new(move |t| GoType::Map {
                    key: b(GoType::Array { len: 2, elem: b(t) }),
                    value: b(GoType::name("int")),
                }),
            ),
            (
                "map value",
                Box::new(move |t| GoType::Map {
                    key: b(GoType::name("string")),
                    value: b(t),
                }),
            ),
            (
                "chan",
                Box::new(move |t| GoType::Chan {
                    dir: ChanDir::Both,
                    elem: b(t),
                }),
            ),
            (
                "recv chan",
                Box::new(move |t| GoType::Chan {
                    dir: ChanDir::Recv,
                    elem: b(t),
                }),
            ),
            (
                "send chan",
                Box::new(move |t| GoType::Chan {
                    dir: ChanDir::Send,
                    elem: b(t),
                }),
            ),
            (
                "func param",
                Box::new(move |t| GoType::Func(sig(vec![GoType::name("int"), t], vec![]))),
            ),
            (
                "func result",
                Box::new(move |t| GoType::Func(sig(vec![], vec![t, GoType::name("error")]))),
            ),
            (
                "func type-param constraint",
                Box::new(move |t| {
                    GoType::Func(Signature {
                        type_params: vec![TypeParamGroup {
                            names: vec!["T".into()],
                            constraint: t,
                        }],
                        ..Signature::default()
                    })
                }),
            ),
            (
                "struct field",
                Box::new(move |t| {
                    GoType::Struct(vec![StructField {
                        name: Some("F".into()),
                        ty: t,
                        tag: None,
                    }])
                }),
            ),
            (
                "struct embedded field",
                Box::new(move |t| {
                    GoType::Struct(vec![StructField {
                        name: None,
                        ty: t,
                        tag: None,
                    }])
                }),
            ),
            (
                "interface method param",
                Box::new(move |t| {
                    GoType::Interface(vec![InterfaceElem::Method {
                        name: "M".into(),
                        sig: sig(vec![t], vec![]),
                    }])
                }),
            ),
            (
                "interface method result",
                Box::new(move |t| {
                    GoType::Interface(vec![InterfaceElem::Method {
                        name: "M".into(),
                        sig: sig(vec![], vec![t]),
                    }])
                }),
            ),
            (
                "interface embed",
                Box::new(move |t| GoType::Interface(vec![InterfaceElem::Embedded(t)])),
            ),
            (
                "union term",
                Box::new(move |t| {
                    GoType::Union(vec![
                        Term {
                            tilde: true,
                            ty: GoType::name("int"),
                        },
                        Term {
                            tilde: false,
                            ty: t,
                        },
                    ])
                }),
            ),
            ("generic type argument", Box::new(generic)),
        ];
        let p = Policy::mep74();
        for (what, wrap) in &positions {
            let found = p.banned_types(&wrap(bad()));
            assert_eq!(found.len(), 1, "{what}: {found:?}");
            assert_eq!(found[0].0, "reflect.Value", "{what}");
            assert_eq!(found[0].1.rule, "reflect", "{what}");
            assert!(
                p.banned_types(&wrap(ok())).is_empty(),
                "{what}: false positive"
            );
            // Two levels deep: every position inside every other one.
            for (outer, wrap2) in &positions {
                let t = wrap2(wrap(bad()));
                assert_eq!(p.banned_types(&t).len(), 1, "{what} inside {outer}");
                assert!(
                    p.banned_types(&wrap2(wrap(ok()))).is_empty(),
                    "{what} inside {outer}"
                );
            }
        }
    }

    #[test]
    fn banned_types_reports_each_name_once_in_walk_order() {
        let t = GoType::Map {
            key: Box::new(GoType::qualified("unsafe", "Pointer")),
            value: Box::new(GoType::Slice(Box::new(GoType::Map {
                key: Box::new(GoType::qualified("reflect", "Value")),
                value: Box::new(GoType::qualified("unsafe", "Pointer")),
            }))),
        };
        let names: Vec<String> = Policy::mep74()
            .banned_types(&t)
            .into_iter()
            .map(|(q, _)| q)
            .collect();
        assert_eq!(names, ["unsafe.Pointer", "reflect.Value"]);
        assert!(Policy::default().banned_types(&t).is_empty());
    }
}
