//! Checks the generated Rust `extern "C"` declarations against the header cgo writes for the
//! c-archive, prototype by prototype, so the two sides cannot drift.

use std::collections::BTreeMap;

/// One way the Rust declarations and the cgo header disagree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Mismatch {
    /// Rust declares a function the header does not export.
    #[error("`{0}` is declared in Rust but not exported by the archive")]
    NotExported(String),
    /// The header exports a function (of a checked prefix) Rust does not declare.
    #[error("`{0}` is exported by the archive but not declared in Rust")]
    NotDeclared(String),
    /// Different parameter counts.
    #[error("`{symbol}`: {c} parameter(s) in C, {rust} in Rust")]
    Arity {
        /// The symbol.
        symbol: String,
        /// C count.
        c: usize,
        /// Rust count.
        rust: usize,
    },
    /// A parameter or result whose types do not correspond.
    #[error("`{symbol}` {position}: C `{c}` does not match Rust `{rust}`")]
    Type {
        /// The symbol.
        symbol: String,
        /// `parameter N` or `result`.
        position: String,
        /// The C type.
        c: String,
        /// The Rust type.
        rust: String,
    },
    /// A declaration that could not be read.
    #[error("cannot parse {what}: {text:?}")]
    Parse {
        /// `C prototype` or `Rust declaration`.
        what: &'static str,
        /// The text.
        text: String,
    },
}

/// A function prototype: result type (`None` for `void`/none) and parameter types.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Proto {
    ret: Option<String>,
    params: Vec<String>,
}

/// Compares every `extern "C"` function of `rust_module` with the `extern` prototypes of the
/// cgo `header`, mapping C types to Rust types by the boundary contract (`int64_t` ↔ `i64`,
/// `_Bool` ↔ `bool`, `T*` ↔ `*mut R`/`*const R`, `mochi_status` ↔ `RawStatus`, function
/// pointer typedefs ↔ `type X = unsafe extern "C" fn(...)` aliases, compared by signature).
/// Header functions whose names start with one of `prefixes` must all be declared in Rust.
/// Returns the names checked, or every mismatch found.
pub fn check_prototypes(
    header: &str,
    rust_module: &str,
    prefixes: &[&str],
) -> Result<Vec<String>, Vec<Mismatch>> {
    let mut errs = Vec::new();
    let (mut c_fns, c_typedefs) = parse_header(header, &mut errs);
    // C library functions the module may declare, by their standard prototypes.
    c_fns.entry("malloc".into()).or_insert(Proto {
        ret: Some("void*".into()),
        params: vec!["size_t".into()],
    });
    c_fns.entry("free".into()).or_insert(Proto {
        ret: None,
        params: vec!["void*".into()],
    });
    let (r_fns, r_aliases) = parse_rust(rust_module, &mut errs);
    let mut checked = Vec::new();
    for (name, rp) in &r_fns {
        let Some(cp) = c_fns.get(name) else {
            errs.push(Mismatch::NotExported(name.clone()));
            continue;
        };
        compare(name, cp, rp, &c_typedefs, &r_aliases, 0, &mut errs);
        checked.push(name.clone());
    }
    for name in c_fns.keys() {
        if prefixes.iter().any(|p| name.starts_with(p)) && !r_fns.contains_key(name) {
            errs.push(Mismatch::NotDeclared(name.clone()));
        }
    }
    if errs.is_empty() {
        Ok(checked)
    } else {
        Err(errs)
    }
}

fn compare(
    name: &str,
    c: &Proto,
    r: &Proto,
    typedefs: &BTreeMap<String, Proto>,
    aliases: &BTreeMap<String, Proto>,
    depth: usize,
    errs: &mut Vec<Mismatch>,
) {
    if c.params.len() != r.params.len() {
        errs.push(Mismatch::Arity {
            symbol: name.to_string(),
            c: c.params.len(),
            rust: r.params.len(),
        });
        return;
    }
    let mut pairs: Vec<(String, Option<&String>, Option<&String>)> =
        vec![("result".into(), c.ret.as_ref(), r.ret.as_ref())];
    for (i, (a, b)) in c.params.iter().zip(&r.params).enumerate() {
        pairs.push((format!("parameter {}", i + 1), Some(a), Some(b)));
    }
    for (position, ct, rt) in pairs {
        let ok = match (ct, rt) {
            (None, None) => true,
            (Some(ct), Some(rt)) => {
                if let (Some(cp), Some(rp), true) = (typedefs.get(ct), aliases.get(rt), depth < 2) {
                    let before = errs.len();
                    compare(
                        &format!("{name} ({position})"),
                        cp,
                        rp,
                        typedefs,
                        aliases,
                        depth + 1,
                        errs,
                    );
                    errs.len() == before
                } else {
                    types_match(ct, rt)
                }
            }
            _ => false,
        };
        if !ok {
            errs.push(Mismatch::Type {
                symbol: name.to_string(),
                position,
                c: ct.cloned().unwrap_or_else(|| "void".into()),
                rust: rt.cloned().unwrap_or_else(|| "()".into()),
            });
        }
    }
}

/// Whether C type `c` (normalised: no `const`, `*` attached) crosses as Rust type `r`.
fn types_match(c: &str, r: &str) -> bool {
    if let Some(inner) = c.strip_suffix('*') {
        let r_inner = r
            .strip_prefix("*mut ")
            .or_else(|| r.strip_prefix("*const "));
        return match r_inner {
            Some(ri) => types_match(inner, ri) || (inner == "void" && ri.ends_with("c_void")),
            None => false,
        };
    }
    let want: &[&str] = match c {
        "int8_t" | "GoInt8" => &["i8"],
        "int16_t" | "GoInt16" => &["i16"],
        "int32_t" | "GoInt32" => &["i32"],
        "int64_t" | "GoInt64" | "GoInt" => &["i64"],
        "uint8_t" | "GoUint8" => &["u8"],
        "uint16_t" | "GoUint16" => &["u16"],
        "uint32_t" | "GoUint32" => &["u32"],
        "uint64_t" | "GoUint64" | "GoUint" => &["u64"],
        "intptr_t" | "ptrdiff_t" => &["isize"],
        "uintptr_t" | "size_t" | "GoUintptr" => &["usize"],
        "_Bool" | "bool" => &["bool"],
        "float" | "GoFloat32" => &["f32"],
        "double" | "GoFloat64" => &["f64"],
        "char" => &["u8", "i8", "c_char", "std::ffi::c_char"],
        "int" => &["i32", "c_int", "std::ffi::c_int"],
        "mochi_status" => &["RawStatus"],
        "mochi_select_case" => &["RawSelectCase"],
        "mochi_bytes" => &["CBytes"],
        "void" => &["c_void", "std::ffi::c_void"],
        _ => &[],
    };
    want.contains(&r)
}

/// Normalises a C type: drops `const`, `struct`/`enum` tags' keywords, joins `*`s to the type.
fn norm_c(t: &str) -> String {
    let t = t.replace('*', " * ");
    let words: Vec<&str> = t
        .split_whitespace()
        .filter(|w| !matches!(*w, "const" | "struct" | "enum" | "volatile" | "restrict"))
        .collect();
    let mut out = String::new();
    for w in words {
        if w == "*" || out.is_empty() {
            out.push_str(w);
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out
}

/// Splits `a, b(c, d), e` at top-level commas.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for ch in s.chars() {
        match ch {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth -= 1,
            _ => {}
        }
        if ch == ',' && depth == 0 {
            out.push(cur.trim().to_string());
            cur.clear();
        } else {
            cur.push(ch);
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// A C parameter's type: the declaration without its name (`int64_t a0` → `int64_t`,
/// `char** out` → `char**`, `void` alone → no parameter).
fn c_param_type(p: &str) -> String {
    let p = norm_c(p);
    // The name is the last identifier, unless the declaration is a bare type.
    let (ty, name) = match p.rfind([' ', '*']) {
        Some(i) => (p[..=i].trim().to_string(), p[i + 1..].to_string()),
        None => (p.clone(), String::new()),
    };
    if name.is_empty() || ty.is_empty() {
        return p;
    }
    norm_c(&ty)
}

fn c_params(list: &str) -> Vec<String> {
    let list = list.trim();
    if list.is_empty() || list == "void" {
        return Vec::new();
    }
    split_top(list).iter().map(|p| c_param_type(p)).collect()
}

fn c_ret(t: &str) -> Option<String> {
    let t = norm_c(t);
    (t != "void").then_some(t)
}

type Parsed = (BTreeMap<String, Proto>, BTreeMap<String, Proto>);

/// `extern R name(P);` prototypes and `typedef R (*name)(P);` function-pointer typedefs.
fn parse_header(header: &str, errs: &mut Vec<Mismatch>) -> Parsed {
    let mut fns = BTreeMap::new();
    let mut typedefs = BTreeMap::new();
    for line in header.lines() {
        let l = line.trim();
        if let Some(rest) = l.strip_prefix("extern ") {
            if !rest.ends_with(");") || rest.starts_with('"') {
                continue;
            }
            let Some(open) = rest.find('(') else { continue };
            let before = &rest[..open];
            let Some(split) = before.rfind([' ', '*']) else {
                errs.push(Mismatch::Parse {
                    what: "C prototype",
                    text: l.to_string(),
                });
                continue;
            };
            let name = before[split + 1..].trim().to_string();
            let ret = &before[..=split];
            let params = &rest[open + 1..rest.len() - 2];
            fns.insert(
                name,
                Proto {
                    ret: c_ret(ret),
                    params: c_params(params),
                },
            );
        } else if let Some(rest) = l.strip_prefix("typedef ") {
            // typedef R (*name)(P);
            let Some(star) = rest.find("(*") else {
                continue;
            };
            let Some(close) = rest[star..].find(')') else {
                continue;
            };
            let name = rest[star + 2..star + close].trim().to_string();
            let after = &rest[star + close + 1..];
            let Some(params) = after
                .trim()
                .strip_prefix('(')
                .and_then(|a| a.strip_suffix(");"))
            else {
                continue;
            };
            typedefs.insert(
                name,
                Proto {
                    ret: c_ret(&rest[..star]),
                    params: c_params(params),
                },
            );
        }
    }
    (fns, typedefs)
}

/// Strips `//` comments (outside strings is enough for generated code) and attributes.
fn strip_rust(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let l = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let t = l.trim();
        if (t.starts_with("#[") || t.starts_with("#![")) && !t.starts_with("#[link_name") {
            continue;
        }
        out.push_str(l);
        out.push('\n');
    }
    out
}

fn rust_fn_type(sig: &str) -> Option<Proto> {
    // `unsafe extern "C" fn(A, B) -> R` (names optional).
    let rest = sig.trim();
    let rest = rest.strip_prefix("unsafe ").unwrap_or(rest).trim();
    let rest = rest.strip_prefix("extern \"C\" ")?.trim();
    let rest = rest.strip_prefix("fn")?.trim();
    parse_rust_sig(rest)
}

/// `(a: A, b: B) -> R` or `(A, B) -> R`.
fn parse_rust_sig(s: &str) -> Option<Proto> {
    let s = s.trim();
    let inner_start = s.find('(')?;
    let mut depth = 0;
    let mut close = None;
    for (i, ch) in s.char_indices().skip(inner_start) {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let params = split_top(&s[inner_start + 1..close])
        .into_iter()
        .map(|p| match p.split_once(':') {
            Some((_, t)) if !p.starts_with("*") => t.trim().to_string(),
            _ => p,
        })
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let after = s[close + 1..].trim();
    let ret = after
        .strip_prefix("->")
        .map(|r| r.trim().trim_end_matches(';').trim().to_string())
        .filter(|r| !r.is_empty() && r != "()");
    Some(Proto { ret, params })
}

/// Functions of every `extern "C" { ... }` block, and `type X = unsafe extern "C" fn(...)`
/// aliases.
fn parse_rust(text: &str, errs: &mut Vec<Mismatch>) -> Parsed {
    let text = strip_rust(text);
    let mut fns = BTreeMap::new();
    let mut aliases = BTreeMap::new();
    // Aliases.
    for item in text.split(';') {
        let t = item.trim();
        let t = t.rsplit('\n').collect::<Vec<_>>();
        let joined = t.into_iter().rev().collect::<Vec<_>>().join(" ");
        let j = joined.trim();
        let Some(pos) = j.find("type ") else { continue };
        let decl = &j[pos + 5..];
        let Some((name, rhs)) = decl.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.contains(' ') || !rhs.contains("extern \"C\"") {
            continue;
        }
        if let Some(p) = rust_fn_type(rhs) {
            aliases.insert(name.to_string(), p);
        }
    }
    // Extern blocks.
    let mut rest = text.as_str();
    while let Some(i) = rest.find("extern \"C\" {") {
        let body_start = i + "extern \"C\" {".len();
        let mut depth = 1;
        let mut end = None;
        for (j, ch) in rest[body_start..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            break;
        };
        let body = &rest[body_start..body_start + end];
        for item in body.split(';') {
            let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
            let Some(pos) = item.find("fn ") else {
                if !item.trim().is_empty() {
                    errs.push(Mismatch::Parse {
                        what: "Rust declaration",
                        text: item.clone(),
                    });
                }
                continue;
            };
            let decl = &item[pos + 3..];
            let Some(paren) = decl.find('(') else {
                errs.push(Mismatch::Parse {
                    what: "Rust declaration",
                    text: item.clone(),
                });
                continue;
            };
            // `#[link_name = "sym"]` names the C symbol of a declaration.
            let name = match item.split_once("#[link_name = \"") {
                Some((_, rest)) => rest.split('"').next().unwrap_or_default().to_string(),
                None => decl[..paren].trim().to_string(),
            };
            match parse_rust_sig(&decl[paren..]) {
                Some(p) => {
                    fns.insert(name, p);
                }
                None => errs.push(Mismatch::Parse {
                    what: "Rust declaration",
                    text: item.clone(),
                }),
            }
        }
        rest = &rest[body_start + end..];
    }
    (fns, aliases)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "typedef mochi_status (*mochi_m_p_host_fn)(uint64_t host_id, int64_t a0, bool *r0, char *msg, size_t msg_cap, size_t *msg_len);\n\
typedef void (*mochi_m_p_host_drop_fn)(uint64_t host_id);\n\
extern void mochi_m_free(void* p);\n\
extern mochi_status mochi_m_s_chan_send(uint64_t id, char* v, size_t vLen);\n\
extern mochi_status mochi_m_p_host_new(mochi_m_p_host_fn call, mochi_m_p_host_drop_fn drop, uint64_t id, uint64_t* out);\n\
extern int64_t mochi_m_live(void);\n";

    const RUST: &str = "type PCallFn = unsafe extern \"C\" fn(u64, i64, *mut bool, *mut u8, usize, *mut usize) -> RawStatus;\n\
type HostDropFn = unsafe extern \"C\" fn(u64);\n\
unsafe extern \"C\" {\n\
    fn mochi_m_free(p: *mut c_void);\n\
    // a comment; with a semicolon\n\
    fn mochi_m_s_chan_send(\n        id: u64,\n        v: *const u8,\n        v_len: usize,\n    ) -> RawStatus;\n\
    fn mochi_m_p_host_new(call: PCallFn, drop: HostDropFn, id: u64, out: *mut u64) -> RawStatus;\n\
    safe fn mochi_m_live() -> i64;\n\
}\n";

    #[test]
    fn matching_declarations_pass() {
        let checked = check_prototypes(HEADER, RUST, &["mochi_m_"]).unwrap();
        assert_eq!(checked.len(), 4);
    }

    #[test]
    fn a_wrong_type_is_reported() {
        let rust = RUST.replace("v_len: usize", "v_len: u32");
        let errs = check_prototypes(HEADER, &rust, &["mochi_m_"]).unwrap_err();
        assert!(
            matches!(&errs[..], [Mismatch::Type { symbol, position, .. }]
            if symbol == "mochi_m_s_chan_send" && position == "parameter 3"),
            "{errs:?}"
        );
    }

    #[test]
    fn a_wrong_callback_pointer_signature_is_reported() {
        let rust = RUST.replace("i64, *mut bool", "i32, *mut bool");
        let errs = check_prototypes(HEADER, &rust, &["mochi_m_"]).unwrap_err();
        assert!(
            errs.iter()
                .any(|e| matches!(e, Mismatch::Type { c, .. } if c == "int64_t")),
            "{errs:?}"
        );
    }

    #[test]
    fn the_message_slot_is_checked() {
        // The per-call message slot of an export: `mochi_bytes *msg` is `*mut CBytes`, and a
        // Rust declaration that forgets it (the old ABI) is an arity mismatch.
        let header = "extern mochi_status fx_call(int64_t a0, int64_t* r0, mochi_bytes* msg);\n";
        let ok = "unsafe extern \"C\" {\n    fn fx_call(a0: i64, r0: *mut i64, msg: *mut CBytes) -> RawStatus;\n}\n";
        assert_eq!(check_prototypes(header, ok, &["fx_"]).unwrap(), ["fx_call"]);
        let old = "unsafe extern \"C\" {\n    fn fx_call(a0: i64, r0: *mut i64) -> RawStatus;\n}\n";
        let errs = check_prototypes(header, old, &["fx_"]).unwrap_err();
        assert!(
            matches!(&errs[..], [Mismatch::Arity { c: 3, rust: 2, .. }]),
            "{errs:?}"
        );
        let wrong = ok.replace("*mut CBytes", "*mut u8");
        assert!(check_prototypes(header, &wrong, &["fx_"]).is_err());
    }

    #[test]
    fn missing_and_extra_symbols_are_reported() {
        let rust = RUST.replace("safe fn mochi_m_live() -> i64;", "fn mochi_m_gone();");
        let errs = check_prototypes(HEADER, &rust, &["mochi_m_"]).unwrap_err();
        assert!(errs.contains(&Mismatch::NotExported("mochi_m_gone".into())));
        assert!(errs.contains(&Mismatch::NotDeclared("mochi_m_live".into())));
    }

    #[test]
    fn arity_and_result_mismatches() {
        let rust = RUST.replace(
            "fn mochi_m_free(p: *mut c_void);",
            "fn mochi_m_free(p: *mut c_void) -> i32;",
        );
        let errs = check_prototypes(HEADER, &rust, &[]).unwrap_err();
        assert!(matches!(&errs[..], [Mismatch::Type { position, .. }] if position == "result"));
        let rust = RUST.replace(
            "out: *mut u64) -> RawStatus;",
            "out: *mut u64, x: i8) -> RawStatus;",
        );
        let errs = check_prototypes(HEADER, &rust, &[]).unwrap_err();
        assert!(matches!(&errs[..], [Mismatch::Arity { c: 4, rust: 5, .. }]));
    }

    #[test]
    fn link_names_are_the_c_symbols() {
        let rust = RUST
            .replace(
                "fn mochi_m_live()",
                "#[link_name = \"mochi_m_live\"]\nfn live()",
            )
            .replace(
                "fn mochi_m_free(p: *mut c_void)",
                "#[link_name = \"mochi_m_free\"]\npub(super) fn free(p: *mut c_void)",
            );
        let checked = check_prototypes(HEADER, &rust, &["mochi_m_"]).unwrap();
        assert!(checked.contains(&"mochi_m_live".to_string()));
        let rust = rust.replace("\"mochi_m_free\"", "\"mochi_m_freed\"");
        let errs = check_prototypes(HEADER, &rust, &["mochi_m_"]).unwrap_err();
        assert!(errs.contains(&Mismatch::NotExported("mochi_m_freed".into())));
        assert!(errs.contains(&Mismatch::NotDeclared("mochi_m_free".into())));
    }

    #[test]
    fn malloc_is_checked_against_its_standard_prototype() {
        let ok = format!(
            "{RUST}unsafe extern \"C\" {{\n    fn malloc(size: usize) -> *mut c_void;\n}}\n"
        );
        assert!(check_prototypes(HEADER, &ok, &["mochi_m_"]).is_ok());
        let bad = ok.replace("fn malloc(size: usize)", "fn malloc(size: u32)");
        let errs = check_prototypes(HEADER, &bad, &["mochi_m_"]).unwrap_err();
        assert!(matches!(&errs[..], [Mismatch::Type { symbol, .. }] if symbol == "malloc"));
    }

    #[test]
    fn bound_wrappers_with_bytes_and_message_slots() {
        let header = "extern mochi_status mochi_m_p_F(mochi_bytes* p_s, size_t p_sLen, uint8_t** p_r0, size_t* p_r0Len, mochi_bytes* msg);\n";
        let rust = "pub mod p {\n    mod ffi {\n        unsafe extern \"C\" {\n            #[link_name = \"mochi_m_p_F\"]\n            pub(super) fn w0(\n                p_s: *const CBytes,\n                p_s_len: usize,\n                p_r0: *mut *mut u8,\n                p_r0_len: *mut usize,\n                msg: *mut CBytes,\n            ) -> RawStatus;\n        }\n    }\n}\n";
        assert_eq!(
            check_prototypes(header, rust, &["mochi_m_"]).unwrap(),
            ["mochi_m_p_F"]
        );
        let wrong = rust.replace("p_r0: *mut *mut u8", "p_r0: *mut u8");
        assert!(check_prototypes(header, &wrong, &["mochi_m_"]).is_err());
    }

    #[test]
    fn c_types_normalise() {
        assert_eq!(c_param_type("const char *p"), "char*");
        assert_eq!(c_param_type("char** out"), "char**");
        assert_eq!(c_param_type("struct mochi_bytes b"), "mochi_bytes");
        assert_eq!(c_params("void"), Vec::<String>::new());
        assert!(types_match("char**", "*mut *mut u8"));
        assert!(types_match("void*", "*mut c_void"));
        assert!(!types_match("int64_t*", "*mut u64"));
    }
}
