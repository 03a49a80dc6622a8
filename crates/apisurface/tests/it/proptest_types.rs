//! Property tests for the type-string grammar (the CI stand-in for the cargo-fuzz target in
//! `fuzz/`): canonical trees round-trip through `Display` and `parse_type`, and no input string
//! makes the parser panic; whatever it accepts prints back byte for byte.

use apisurface::validate::is_keyword;
use apisurface::{
    ChanDir, GoType, InterfaceElem, Name, ParamDecl, Signature, StructField, Term, TypeName,
    TypeParamGroup, TypeTree, UntypedKind, parse_type,
};
use proptest::collection::vec;
use proptest::prelude::*;

fn ident() -> impl Strategy<Value = Name> {
    ident_string().prop_map(Name::from)
}

fn ident_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z_][a-zA-Z0-9_]{0,5}",
        1 => Just("int".to_string()),
        1 => Just("untyped".to_string()),
        1 => Just("any".to_string()),
        1 => Just("é日本".to_string()),
    ]
    .prop_filter("not a keyword", |s| !is_keyword(s))
}

fn import_path() -> impl Strategy<Value = Name> {
    import_path_string().prop_map(Name::from)
}

fn import_path_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("io".to_string()),
        Just("unsafe".to_string()),
        Just("net/http".to_string()),
        Just("gopkg.in/yaml.v3".to_string()),
        Just("github.com/x/go-y".to_string()),
        Just("example.com/m/v2/pkg".to_string()),
        "[a-z][a-z0-9]{0,3}(\\.[a-z]{1,3})?(/[a-z0-9][a-z0-9_~+-]{0,3}(\\.v[0-9])?){0,3}",
    ]
}

/// A struct tag as strconv.Quote might print it (any well-formed interpreted literal).
fn tag() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z:,= ]{1,4}",
        Just("\\\"".to_string()),
        Just("\\\\".to_string()),
        Just("\\n".to_string()),
        Just("\\t".to_string()),
        Just("\\x00".to_string()),
        Just("\\377".to_string()),
        Just("\\u00e9".to_string()),
        Just("\\U0001F600".to_string()),
        Just("é".to_string()),
    ];
    vec(piece, 0..5).prop_map(|ps| format!("\"{}\"", ps.concat()))
}

fn leaf() -> impl Strategy<Value = GoType> {
    prop_oneof![
        ident().prop_map(GoType::name),
        (import_path(), ident()).prop_map(|(p, n)| GoType::qualified(p, n)),
    ]
}

fn name_list() -> impl Strategy<Value = Vec<Name>> {
    vec(ident(), 1..3)
}

/// A type in any position that is not a union or `...T` (the recursive core).
fn ty() -> BoxedStrategy<GoType> {
    leaf()
        .boxed()
        .prop_recursive(5, 48, 4, |inner| {
            let sig = signature(inner.clone(), true);
            let method_sig = signature(inner.clone(), false);
            let union_or = union_or(inner.clone());
            prop_oneof![
                inner.clone().prop_map(|t| GoType::Pointer(Box::new(t))),
                inner.clone().prop_map(|t| GoType::Slice(Box::new(t))),
                (any::<u64>(), inner.clone()).prop_map(|(len, t)| GoType::Array {
                    len,
                    elem: Box::new(t)
                }),
                (inner.clone(), inner.clone()).prop_map(|(k, v)| GoType::Map {
                    key: Box::new(k),
                    value: Box::new(v)
                }),
                (
                    prop_oneof![
                        Just(ChanDir::Both),
                        Just(ChanDir::Send),
                        Just(ChanDir::Recv)
                    ],
                    inner.clone()
                )
                    .prop_map(|(dir, t)| GoType::Chan {
                        dir,
                        elem: Box::new(t)
                    }),
                (
                    ident(),
                    import_path(),
                    any::<bool>(),
                    vec(inner.clone(), 1..3)
                )
                    .prop_map(|(n, p, qualified, args)| GoType::Named(TypeName {
                        package: qualified.then_some(p),
                        name: n,
                        type_args: args,
                    })),
                sig.prop_map(GoType::Func),
                vec(field(inner.clone()), 0..4).prop_map(GoType::Struct),
                vec(
                    prop_oneof![
                        (ident(), method_sig)
                            .prop_map(|(name, sig)| InterfaceElem::Method { name, sig }),
                        union_or.prop_map(InterfaceElem::Embedded),
                    ],
                    0..4
                )
                .prop_map(GoType::Interface),
            ]
        })
        .boxed()
}

/// A type or a union of terms (top level, interface element, constraint).
fn union_or(inner: impl Strategy<Value = GoType> + Clone) -> impl Strategy<Value = GoType> {
    prop_oneof![
        inner.clone(),
        vec((any::<bool>(), inner), 1..4).prop_map(|terms| {
            let single = terms.len() == 1;
            GoType::Union(
                terms
                    .into_iter()
                    .map(|(tilde, ty)| Term {
                        // A lone term is a union only with `~`.
                        tilde: tilde || single,
                        ty,
                    })
                    .collect(),
            )
        }),
    ]
}

fn field(inner: impl Strategy<Value = GoType> + Clone) -> impl Strategy<Value = StructField> {
    let embedded = (
        any::<bool>(),
        prop_oneof![
            ident().prop_map(GoType::name),
            (import_path(), ident()).prop_map(|(p, n)| GoType::qualified(p, n)),
        ],
    )
        .prop_map(|(ptr, t)| if ptr { GoType::Pointer(Box::new(t)) } else { t });
    (
        prop_oneof![
            (ident(), inner).prop_map(|(n, t)| (Some(n), t)),
            embedded.prop_map(|t| (None, t)),
        ],
        proptest::option::of(tag()),
    )
        .prop_map(|((name, ty), tag)| StructField { name, ty, tag })
}

fn signature(
    inner: impl Strategy<Value = GoType> + Clone + 'static,
    allow_type_params: bool,
) -> impl Strategy<Value = Signature> {
    let groups = if allow_type_params {
        vec((name_list(), union_or(inner.clone())), 0..3).boxed()
    } else {
        Just(Vec::new()).boxed()
    };
    let named = any::<bool>();
    let params = vec(inner.clone(), 0..4);
    let variadic = proptest::option::of(inner.clone());
    let results = vec(inner.clone(), 0..3);
    (
        groups,
        named,
        params,
        variadic,
        any::<bool>(),
        results,
        vec(ident(), 4),
    )
        .prop_map(
            |(groups, named, params, variadic, named_results, results, names)| {
                let name = |i: usize, on: bool| on.then(|| names[i % names.len()].clone());
                let mut ps: Vec<ParamDecl> = params
                    .into_iter()
                    .enumerate()
                    .map(|(i, ty)| ParamDecl {
                        name: name(i, named),
                        ty,
                    })
                    .collect();
                if let Some(v) = variadic {
                    ps.push(ParamDecl {
                        name: name(ps.len(), named),
                        ty: GoType::Variadic(Box::new(v)),
                    });
                }
                let rs = results
                    .into_iter()
                    .enumerate()
                    .map(|(i, ty)| ParamDecl {
                        name: name(i + 1, named_results),
                        ty,
                    })
                    .collect();
                Signature {
                    type_params: groups
                        .into_iter()
                        .map(|(names, constraint)| TypeParamGroup { names, constraint })
                        .collect(),
                    params: ps,
                    results: rs,
                }
            },
        )
}

/// Any canonical top-level type string's tree.
fn top() -> impl Strategy<Value = GoType> {
    prop_oneof![
        6 => union_or(ty()),
        1 => ty().prop_map(|t| GoType::Variadic(Box::new(t))),
        1 => proptest::sample::select(UntypedKind::ALL.to_vec()).prop_map(GoType::Untyped),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// print → parse gives the same tree, and printing that gives the same string.
    #[test]
    fn canonical_trees_round_trip(t in top()) {
        let s = t.to_string();
        let back = parse_type(&s).map_err(|e| TestCaseError::fail(format!("{s:?}: {e}")))?;
        prop_assert_eq!(&back, &t, "{}", s);
        prop_assert_eq!(back.to_string(), s.as_str());
        // The flat tree's type nodes are the owned tree's sub-types, each spanning exactly its
        // canonical string.
        let tree = TypeTree::parse(&s).map_err(|e| TestCaseError::fail(format!("{s:?}: {e}")))?;
        let flat: Vec<String> = tree
            .root()
            .descendants()
            .filter(|n| n.kind().is_type())
            .map(|n| n.text().to_string())
            .collect();
        let walked: Vec<String> = t.descendants().iter().map(|d| d.to_string()).collect();
        prop_assert_eq!(flat, walked);
    }

    /// Arbitrary strings: never a panic; anything accepted prints back byte for byte.
    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        if let Ok(t) = parse_type(&s) {
            prop_assert_eq!(t.to_string(), s);
        }
    }

    /// Strings over the grammar's own alphabet hit far more of the parser than random text.
    #[test]
    fn grammar_alphabet_strings_are_strict(
        s in "(\\*|\\[\\]|\\[4\\]|map\\[|\\]|chan |chan<- |<-chan |\\(|\\)|func|struct\\{|interface\\{|\\}|; |, | \\| |~|\\.\\.\\.|int|io\\.Reader|T|a |\"t\"| |untyped |nil|#rv1 ){0,16}"
    ) {
        if let Ok(t) = parse_type(&s) {
            prop_assert_eq!(t.to_string(), s);
        }
    }

    /// One-byte edits of a canonical string: never a panic; accepted edits are canonical too.
    #[test]
    fn edited_canonical_strings_are_strict(
        t in top(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(b" ()[]{}*~|,;.<-\"\\chanfuniterm#0".to_vec()),
        delete in any::<bool>(),
    ) {
        let mut s = t.to_string().into_bytes();
        let i = at.index(s.len() + 1);
        if delete && i < s.len() {
            s.remove(i);
        } else {
            s.insert(i, byte);
        }
        if let Ok(s) = String::from_utf8(s) {
            if let Ok(t) = parse_type(&s) {
                prop_assert_eq!(t.to_string(), s);
            }
        }
    }
}
