//! The go/types type-string grammar: hand-written edge cases, hostile inputs with their error
//! offsets, and the committed corpora under `testdata/types/` (100% round trip required).

use apisurface::{
    ChanDir, GoType, InterfaceElem, MAX_DEPTH, MAX_INPUT_LEN, Node, NodeKind, ParamDecl,
    ParseError, Signature, StructField, Term, TypeName, TypeParamGroup, TypeTree, UntypedKind,
    parse_type,
};
use std::path::PathBuf;

fn parse_ok(s: &str) -> GoType {
    match parse_type(s) {
        Ok(t) => t,
        Err(e) => panic!("{s:?} does not parse: {e}"),
    }
}

fn round_trip(s: &str) -> GoType {
    let t = parse_ok(s);
    assert_eq!(t.to_string(), s, "Display of the parse of {s:?}");
    t
}

fn parse_err(s: &str) -> ParseError {
    match parse_type(s) {
        Ok(t) => panic!("{:.80?} unexpectedly parsed as {t:.80?}", s),
        Err(e) => e,
    }
}

fn name(n: &str) -> GoType {
    GoType::name(n)
}

fn bx(t: GoType) -> Box<GoType> {
    Box::new(t)
}

fn named_param(n: &str, t: GoType) -> ParamDecl {
    ParamDecl {
        name: Some(n.into()),
        ty: t,
    }
}

fn unnamed(t: GoType) -> ParamDecl {
    ParamDecl { name: None, ty: t }
}

/// Canonical strings that must round-trip, with the tree they must produce where it matters.
#[test]
fn edge_case_table_round_trips() {
    let table: &[&str] = &[
        // predeclared, untyped, unsafe
        "int",
        "byte",
        "rune",
        "error",
        "any",
        "comparable",
        "uintptr",
        "complex128",
        "untyped int",
        "untyped float",
        "untyped rune",
        "untyped string",
        "untyped bool",
        "untyped nil",
        "untyped complex",
        "unsafe.Pointer",
        // qualified names with odd paths
        "gopkg.in/yaml.v3.Node",
        "github.com/x/go-y.Z",
        "example.com/m/v2/pkg.T",
        "example.com/~u/p.T",
        "example.com/a+b/p.T",
        "9fans.net/go/plan9.Dir",
        "*net/http.Request",
        "map[string]encoding/json.RawMessage",
        // generics
        "iter.Seq2[int, E]",
        "iter.Seq[example.com/m/v2/pkg.T[int]]",
        "G[map[K]V, []*T]",
        // composites
        "[]int",
        "[4]byte",
        "[0]func()",
        "[18446744073709551615]int",
        "map[[2]string]map[*T]chan int",
        "map[struct{A int}]interface{}",
        "**[]*[3]T",
        // channels
        "chan int",
        "chan<- int",
        "<-chan int",
        "chan (<-chan int)",
        "chan<- chan int",
        "<-chan <-chan int",
        "chan<- <-chan int",
        "chan chan<- int",
        "<-chan chan (<-chan struct{})",
        "chan (<-chan chan (<-chan int))",
        // funcs
        "func()",
        "func(int int)",
        "func(a int, b int)",
        "func(int, string)",
        "func(_ int, _ string)",
        "func(untyped int)",
        "func(chan int) chan<- int",
        "func(format string, args ...any)",
        "func(...int)",
        "func(s ...[]string) error",
        "func() (#rv1 bool)",
        "func(file *go/ast.File) (#rv1 string, #rv2 bool)",
        "func() int",
        "func() (n int, err error)",
        "func() (V, bool)",
        "func() func() int",
        "func() (func() int, error)",
        "func(ctx context.Context, f func(int) bool) (n int, err error)",
        "func[K comparable, V any](m map[K]V)",
        "func[M1, M2 ~map[K]V, K, V comparable](m1 M1, m2 M2) bool",
        "func[S ~[]E, E cmp.Ordered](x S, target E) (int, bool)",
        "func[T int | string, U interface{~int | ~string; String() string}]()",
        "func[P interface{*T; M()}, T any](p P)",
        // structs
        "struct{}",
        r#"struct{A int "json:\"a\""; io.Reader; *T; B []string}"#,
        r#"struct{T "tag"}"#,
        r#"struct{*pkg.T "tag"; G[int]}"#,
        r#"struct{A int "\a\b\f\n\r\t\v\\\"\x00\377\u00e9\U0001F600"}"#,
        r#"struct{A int "é 日本"}"#,
        r#"struct{A int "*/ //go:linkname x y"}"#,
        r#"struct{A int "\n//go:build ignore"}"#,
        "struct{F func() int}",
        r#"struct{F func() "tag"}"#,
        r#"struct{F func() int "tag"}"#,
        "struct{untyped int}",
        "struct{_ int; _ string}",
        // interfaces
        "interface{}",
        "interface{String() string}",
        "interface{String() string; io.Reader}",
        "interface{io.Reader; String() string}",
        "interface{~int | ~string; String() string}",
        "interface{String() string; ~int | ~string}",
        "interface{comparable}",
        "interface{m(); n(int) (bool, error)}",
        "interface{G[int]; Seq(func(int) bool)}",
        "interface{func() int | string}",
        // unions and variadics at the top level
        "~int | ~string",
        "~int",
        "int | string",
        "~[]E",
        "~map[K]V | []byte",
        "...T",
        "...func(...int)",
        "...interface{}",
    ];
    for s in table {
        round_trip(s);
    }
    assert!(table.len() > 90, "table has {} entries", table.len());
}

#[test]
fn trees_have_the_expected_shape() {
    assert_eq!(
        round_trip("gopkg.in/yaml.v3.Node"),
        GoType::qualified("gopkg.in/yaml.v3", "Node")
    );
    assert_eq!(round_trip("untyped nil"), GoType::Untyped(UntypedKind::Nil));
    assert_eq!(
        round_trip("iter.Seq2[int, E]"),
        GoType::Named(TypeName {
            package: Some("iter".into()),
            name: "Seq2".into(),
            type_args: vec![name("int"), name("E")],
        })
    );
    assert_eq!(
        round_trip("chan (<-chan int)"),
        GoType::Chan {
            dir: ChanDir::Both,
            elem: bx(GoType::Chan {
                dir: ChanDir::Recv,
                elem: bx(name("int")),
            }),
        }
    );
    assert_eq!(
        round_trip("func(int int) (n int, err error)"),
        GoType::Func(Signature {
            type_params: vec![],
            params: vec![named_param("int", name("int"))],
            results: vec![
                named_param("n", name("int")),
                named_param("err", name("error"))
            ],
        })
    );
    assert_eq!(
        round_trip("func[K comparable, V any, S ~[]V](m map[K]V, s ...S)"),
        GoType::Func(Signature {
            type_params: vec![
                TypeParamGroup {
                    names: vec!["K".into()],
                    constraint: name("comparable"),
                },
                TypeParamGroup {
                    names: vec!["V".into()],
                    constraint: name("any"),
                },
                TypeParamGroup {
                    names: vec!["S".into()],
                    constraint: GoType::Union(vec![Term {
                        tilde: true,
                        ty: GoType::Slice(bx(name("V"))),
                    }]),
                },
            ],
            params: vec![
                named_param(
                    "m",
                    GoType::Map {
                        key: bx(name("K")),
                        value: bx(name("V")),
                    }
                ),
                named_param("s", GoType::Variadic(bx(name("S")))),
            ],
            results: vec![],
        })
    );
    assert_eq!(
        round_trip("func[K, V any]()"),
        GoType::Func(Signature {
            type_params: vec![TypeParamGroup {
                names: vec!["K".into(), "V".into()],
                constraint: name("any"),
            }],
            ..Signature::default()
        })
    );
    assert_eq!(
        round_trip(r#"struct{A int "json:\"a\""; io.Reader; *T}"#),
        GoType::Struct(vec![
            StructField {
                name: Some("A".into()),
                ty: name("int"),
                tag: Some(r#""json:\"a\"""#.into()),
            },
            StructField {
                name: None,
                ty: GoType::qualified("io", "Reader"),
                tag: None,
            },
            StructField {
                name: None,
                ty: GoType::Pointer(bx(name("T"))),
                tag: None,
            },
        ])
    );
    assert_eq!(
        round_trip("interface{~int | ~string; String() string}"),
        GoType::Interface(vec![
            InterfaceElem::Embedded(GoType::Union(vec![
                Term {
                    tilde: true,
                    ty: name("int"),
                },
                Term {
                    tilde: true,
                    ty: name("string"),
                },
            ])),
            InterfaceElem::Method {
                name: "String".into(),
                sig: Signature {
                    results: vec![unnamed(name("string"))],
                    ..Signature::default()
                },
            },
        ])
    );
    // A lone non-tilde term is just the type; a lone tilde term is a one-term union.
    assert_eq!(round_trip("int"), name("int"));
    assert_eq!(
        round_trip("~int"),
        GoType::Union(vec![Term {
            tilde: true,
            ty: name("int"),
        }])
    );
    assert_eq!(
        round_trip("...[]int"),
        GoType::Variadic(bx(GoType::Slice(bx(name("int")))))
    );
    assert_eq!(
        round_trip("[18446744073709551615]int"),
        GoType::Array {
            len: u64::MAX,
            elem: bx(name("int")),
        }
    );
}

/// Every malformed, non-canonical or hostile input is an error at the stated byte offset.
#[test]
fn errors_report_the_offset() {
    let table: &[(&str, usize)] = &[
        ("", 0),
        ("...", 3),
        ("... int", 3),
        ("......int", 3),
        ("int\0", 3),
        ("\0", 0),
        ("int\n", 3),
        ("int\nint", 3),
        ("*/", 1),
        ("//go:linkname x y", 0),
        ("int // comment", 3),
        ("int x", 3),
        ("int)", 3),
        ("[]", 2),
        ("[", 1),
        ("[4", 2),
        ("[04]int", 1),
        ("[-1]int", 1),
        ("[18446744073709551616]int", 1),
        ("[99999999999999999999999]int", 1),
        ("map[string]", 11),
        ("map[string", 10),
        ("map [string]int", 3),
        ("map", 3),
        ("chan (chan int)", 5),
        ("chan <-chan int", 5),
        ("chan<-chan int", 4),
        ("chan  int", 5),
        ("chan(int)", 4),
        ("<-chan", 0),
        ("<- chan int", 0),
        ("func(...int, int)", 11),
        ("func(a ...int, b int)", 13),
        ("func() (...int)", 8),
        ("func() (int)", 7),
        ("func() ()", 7),
        ("func(a int,b int)", 10),
        ("func(a  int)", 7),
        ("func (a int)", 4),
        ("func()int", 6),
        ("func() ", 7),
        ("func(a int", 10),
        ("func[T any]", 11),
        ("func[]()", 5),
        ("func[T,U any]()", 6),
        ("func[T]()", 6),
        ("func(type int)", 5),
        ("func() (#rv bool)", 8),
        ("func() (#rv01 bool)", 8),
        ("func() (#x bool)", 8),
        ("struct{", 7),
        ("struct{A int;B int}", 12),
        ("struct{A int; }", 14),
        ("struct {}", 6),
        ("struct{A int \"unterminated}", 27),
        ("struct{A int \"bad\\q\"}", 17),
        ("struct{A int \"bad\\x4\"}", 17),
        ("struct{A int \"bad\\400\"}", 17),
        ("struct{A int \"bad\\uD800\"}", 17),
        ("struct{A int \"nl\n\"}", 16),
        ("struct{A int \"nul\0\"}", 17),
        ("struct{A int `raw`}", 12),
        ("struct{[]int}", 7),
        ("struct{**T}", 7),
        ("interface{", 10),
        ("interface{m();n()}", 13),
        ("interface {}", 9),
        ("interface{m() ()}", 14),
        ("~", 1),
        ("~~int", 1),
        ("int|string", 3),
        ("int |string", 3),
        ("int | ", 6),
        ("io.", 3),
        (".T", 0),
        ("io..T", 2),
        ("/io.T", 0),
        ("a//b.T", 1),
        ("io.Reader.", 10),
        ("go-y", 2),
        ("a/b", 1),
        ("9x", 0),
        ("io.9x", 3),
        ("io.func", 3),
        ("type", 0),
        ("G[]", 2),
        ("G[int,string]", 5),
        ("G[int", 5),
        ("untyped  int", 7),
        ("(int)", 0),
        ("int]", 3),
        ("日本\u{3000}", 6),
    ];
    for &(s, offset) in table {
        let e = parse_err(s);
        assert_eq!(e.offset, offset, "{s:?}: {e}");
        assert!(!e.expected.is_empty());
        assert!(!e.found.is_empty());
        // The message is one line even for inputs with newlines or NULs.
        let msg = e.to_string();
        assert!(!msg.contains('\n') && !msg.contains('\0'), "{msg:?}");
    }
}

#[test]
fn error_messages_say_what_and_where() {
    let e = parse_err("chan (chan int)");
    assert_eq!(e.offset, 5);
    assert!(e.expected.contains("receive-only"), "{}", e.expected);
    assert!(e.found.contains("(chan int)"), "{}", e.found);
    let e = parse_err("func(a int");
    assert_eq!(e.found, "end of input");
    let e = parse_err("[18446744073709551616]int");
    assert!(e.expected.contains("64 bits"), "{}", e.expected);
    let long = format!("int {}", "x".repeat(1000));
    let e = parse_err(&long);
    assert!(e.found.len() < 40, "excerpt is short: {}", e.found);
}

#[test]
fn limits_are_errors_not_crashes() {
    // 100k levels of nesting of every recursive shape.
    for (unit, tail) in [
        ("*", "int"),
        ("[]", "int"),
        ("[", ""),
        ("map[", "int]int"),
        ("chan ", "int"),
        ("func() ", "int"),
        ("struct{A ", "}"),
        ("interface{M() ", "}"),
        ("G[", "]"),
        ("~", "int"),
        ("<-chan ", "int"),
        ("chan (", "int)"),
    ] {
        // 100k levels, or as many as fit in the input limit.
        let reps = 100_000.min((MAX_INPUT_LEN - tail.len()) / unit.len());
        assert!(reps > 4 * MAX_DEPTH);
        let s = unit.repeat(reps) + tail;
        let e = parse_err(&s);
        assert!(e.offset <= unit.len() * (MAX_DEPTH + 1), "{unit:?}: {e}");
    }
    // The deepest accepted tree parses, prints, and drops fine.
    let deepest = "*".repeat(MAX_DEPTH - 1) + "int";
    let t = round_trip(&deepest);
    drop(t);
    let too_deep = "*".repeat(MAX_DEPTH) + "int";
    assert_eq!(parse_err(&too_deep).offset, MAX_DEPTH);
    let nested_funcs = "func() ".repeat(MAX_DEPTH - 1) + "int";
    drop(round_trip(&nested_funcs));

    // Input length.
    let huge = format!("struct{{{}}}", "A int; ".repeat(MAX_INPUT_LEN / 7));
    let e = parse_err(&huge);
    assert_eq!(e.offset, MAX_INPUT_LEN);
    // Long but within the limit and flat: fine (lists are not recursion).
    let wide = format!("func({})", vec!["int"; 100_000].join(", "));
    assert!(wide.len() < MAX_INPUT_LEN);
    round_trip(&wide);
}

#[test]
fn display_never_panics_on_hand_built_trees() {
    // Trees go/types would never print still print something sensible.
    let odd = [
        GoType::Union(vec![]),
        GoType::name(""),
        GoType::Struct(vec![StructField {
            name: None,
            ty: GoType::Variadic(bx(GoType::Union(vec![]))),
            tag: Some("`raw`".into()),
        }]),
        GoType::Func(Signature {
            type_params: vec![TypeParamGroup {
                names: vec![],
                constraint: GoType::Interface(vec![]),
            }],
            params: vec![],
            results: vec![unnamed(GoType::Untyped(UntypedKind::Int))],
        }),
    ];
    let printed: Vec<String> = odd.iter().map(|t| t.to_string()).collect();
    assert_eq!(printed[0], "");
    assert_eq!(printed[2], "struct{... `raw`}");
    assert_eq!(printed[3], "func[ interface{}]() untyped int");
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/types")
}

/// Every line of every `testdata/types/*.txt` (comments start with `#`) round-trips exactly.
#[test]
fn corpus_round_trips_completely() {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut total = 0usize;
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("corpus file is UTF-8");
        let mut n = 0usize;
        for (i, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            n += 1;
            match parse_type(line) {
                Ok(t) if t.to_string() == line => {}
                Ok(t) => failures.push(format!("{}:{}: prints as {t}", f.display(), i + 1)),
                Err(e) => failures.push(format!("{}:{}: {line}: {e}", f.display(), i + 1)),
            }
        }
        println!(
            "{}: {n} type strings",
            f.file_name().unwrap_or_default().to_string_lossy()
        );
        total += n;
    }
    println!("corpus: {total} type strings, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{} of {total} corpus lines do not round-trip:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(files.len() >= 2, "expected std.txt and edge.txt");
    assert!(total > 1000, "corpus too small: {total}");
}

/// The flat tree and the owned tree are the same tree: for every corpus line, the type nodes of
/// the `TypeTree` in stored order are the owned tree's sub-types in walk order, each node's text
/// is exactly its sub-type's canonical string, and names, packages, tags and lengths agree.
#[test]
fn type_tree_nodes_are_the_owned_tree() {
    let dir = corpus_dir();
    let mut checked = 0usize;
    for entry in std::fs::read_dir(&dir).expect("corpus dir") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("corpus file is UTF-8");
        for line in text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            check_tree(line);
            checked += 1;
        }
    }
    assert!(checked > 1000, "corpus too small: {checked}");
}

fn check_tree(line: &str) {
    let tree = TypeTree::parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    let owned = parse_type(line).expect("parse_type agrees");
    assert_eq!(tree.root().text(), line);
    assert_eq!(tree.to_string(), line);
    assert_eq!(tree.to_go_type(), owned, "{line}");
    let flat: Vec<Node<'_>> = tree
        .root()
        .descendants()
        .filter(|n| n.kind().is_type())
        .collect();
    let walked = owned.descendants();
    assert_eq!(flat.len(), walked.len(), "{line}");
    for (n, t) in flat.iter().zip(&walked) {
        assert_eq!(n.text(), t.to_string(), "{line}");
        assert_eq!(n.to_go_type().as_ref(), Some(*t), "{line}");
        match t {
            GoType::Named(tn) => {
                assert_eq!(n.kind(), NodeKind::Named);
                assert_eq!(n.name(), Some(tn.name.as_str()));
                assert_eq!(n.package(), tn.package.as_deref());
                assert_eq!(n.children().count(), tn.type_args.len());
            }
            GoType::Array { len, .. } => assert_eq!(n.array_len(), Some(*len)),
            GoType::Struct(fields) => {
                let got: Vec<(Option<&str>, Option<&str>)> =
                    n.children().map(|f| (f.name(), f.tag())).collect();
                let want: Vec<(Option<&str>, Option<&str>)> = fields
                    .iter()
                    .map(|f| (f.name.as_deref(), f.tag.as_deref()))
                    .collect();
                assert_eq!(got, want, "{line}");
            }
            GoType::Func(sig) => {
                let params: Vec<Option<&str>> = n
                    .children()
                    .filter(|c| matches!(c.kind(), NodeKind::Param | NodeKind::Result))
                    .map(|c| c.name())
                    .collect();
                let want: Vec<Option<&str>> = sig
                    .params
                    .iter()
                    .chain(&sig.results)
                    .map(|p| p.name.as_deref())
                    .collect();
                assert_eq!(params, want, "{line}");
                let groups: Vec<Vec<&str>> = n
                    .children()
                    .filter(|c| c.kind() == NodeKind::TypeParams)
                    .map(|g| g.type_param_names().collect())
                    .collect();
                let want: Vec<Vec<&str>> = sig
                    .type_params
                    .iter()
                    .map(|g| g.names.iter().map(|n| n.as_str()).collect())
                    .collect();
                assert_eq!(groups, want, "{line}");
            }
            _ => {}
        }
        // Every child lies inside its parent's text, in order, without overlap.
        let mut at = n.offset();
        for c in n.children() {
            assert!(c.offset() >= at, "{line}: child {c:?} of {n:?}");
            at = c.offset() + c.text().len();
            assert!(at <= n.offset() + n.text().len(), "{line}: child {c:?}");
        }
    }
}

#[test]
fn type_tree_edge_cases() {
    for s in [
        "...func(a ...int)",
        "~int",
        "int | ~string | chan (<-chan error)",
        "interface{M(#rv1 bool) (#rv2 int); ~int | ~uint; io.Reader}",
        "func[M1, M2 ~map[K]V, K, V comparable](m1 M1, m2 M2) bool",
        "struct{A int \"json:\\\"a\\\"\"; *io.Reader; example.com/p.G[int] \"x\"}",
        "map[[2]struct{}]iter.Seq2[int, func() (V, bool)]",
        "untyped nil",
        "[18446744073709551615]byte",
    ] {
        check_tree(s);
    }
    let t = TypeTree::parse("...func(a ...int)").unwrap();
    assert_eq!(t.root().kind(), NodeKind::Variadic);
    assert_eq!(t.node_count(), 5);
    let e = TypeTree::parse("func(...int, int)").unwrap_err();
    assert_eq!(e.offset, 11);
}

#[test]
fn strip_param_names_drops_names_at_every_depth() {
    let mut t = parse_type(
        "func(f func(x int) (y string), m map[string]func(a int), s struct{F func(b bool)}) (n int, err error)",
    )
    .unwrap();
    t.strip_param_names();
    assert_eq!(
        t.to_string(),
        "func(func(int) string, map[string]func(int), struct{F func(bool)}) (int, error)"
    );
    // Identity up to names: the two spellings of one Go type print the same afterwards.
    let mut a = parse_type("func(r rune) bool").unwrap();
    let mut b = parse_type("func(rune) bool").unwrap();
    a.strip_param_names();
    b.strip_param_names();
    assert_eq!(a, b);
}
