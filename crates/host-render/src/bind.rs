//! The typed Rust API of bound Go packages (`bind-render`'s plan): one `pub mod` per package
//! with a Rust type per bound named type, a safe function or method per `//export` wrapper, and
//! a constant per bound constant.
//!
//! # Shape
//!
//! * Handle types (Go structs, interfaces and other non-basic named types) are
//!   `pub struct T(pub(super) super::BoundHandle)`: the value owns one Go handle ID, released
//!   on drop; `Clone` mints a second ID to the same Go value (`mochi_<M>_dup`, and panics only
//!   when the Go handle table is full); `is_nil()` asks Go. They are `Send` but not `Sync`: a Go
//!   type documents its own concurrency, so the Rust type does not promise more (two threads
//!   may each hold a clone, which is as safe as two goroutines holding the pointer).
//! * Named basic types are `Copy` newtypes over the scalar, named string types newtypes over
//!   `String`.
//! * Every wrapper returns `Result<_, GoError>`; a panic is `GoError::Panic` and a non-nil
//!   Go `error` is `GoError::Go`, both with the message from the call's own slot.
//! * Inside a package module every path is absolute (`::core::result::Result`,
//!   `super::GoError`), so Go names such as `Result`, `String` or `Drop` cannot shadow them.
//!
//! Layout follows rustfmt's defaults (width 100, call width 60) so the module stays
//! rustfmt-clean without running rustfmt.

use crate::model::NameProblem;
use crate::model::{HostError, check_c_ident};
use crate::rust::{CALL_WIDTH, Extern, WIDTH, extern_module, fn_sig, push_let_st};
use apisurface::names::is_rust_keyword;
use bind_render::{BoundFunc, BoundPackage, BoundType, Class, FuncKind, TypeKind, TypeRef, Value};
use std::collections::BTreeSet;

/// A channel shim of the module, as bound signatures see it.
pub(crate) struct KnownChan {
    /// The shim base.
    pub base: String,
    /// The Rust element type (`i64`, `PtrExampleEventValue`).
    pub rust: String,
    /// The element's Go type as printed.
    pub elem: String,
    /// True when the element crosses as a handle (a `<Base>Value` newtype).
    pub handle: bool,
}

/// What the rest of the module offers bound signatures.
pub(crate) struct Known {
    /// Channel shims.
    pub chans: Vec<KnownChan>,
    /// Host callbacks: (Go func type as printed, Rust closure alias).
    pub callbacks: Vec<(String, String)>,
}

/// Renders the bound part of the module of `m`.
pub(crate) fn render_bound(
    m: &str,
    bound: &[BoundPackage],
    known: &Known,
    taken: &BTreeSet<String>,
) -> Result<String, HostError> {
    let mut out = String::new();
    if bound.is_empty() {
        return Ok(out);
    }
    let mut mods = BTreeSet::new();
    for p in bound {
        check_rust_ident("Rust module", &p.rust_mod)?;
        if taken.contains(&p.rust_mod)
            || apisurface::names::is_rust_root_name(&p.rust_mod)
            || !mods.insert(p.rust_mod.clone())
        {
            return Err(HostError::Duplicate {
                name: p.rust_mod.clone(),
            });
        }
    }
    out.push('\n');
    out.push_str(&shared(m, known));
    for p in bound {
        out.push('\n');
        out.push_str(&package(p, known)?);
    }
    Ok(out)
}

/// The items every package module uses: the handle type, the per-call message slot and the
/// copies in and out.
fn shared(m: &str, known: &Known) -> String {
    // `CBytes` (the per-call message slot, string slices) is the prelude's.
    let mut s = String::new();
    let ext = [
        Extern {
            safe: false,
            group: "bind_ffi".into(),
            link: format!("mochi_{m}_dup"),
            name: "dup".into(),
            params: vec!["id: u64".into(), "out: *mut u64".into()],
            ret: Some("RawStatus".into()),
            cfg: None,
        },
        Extern {
            safe: false,
            group: "bind_ffi".into(),
            link: format!("mochi_{m}_is_nil"),
            name: "is_nil".into(),
            params: vec!["id: u64".into(), "out: *mut bool".into()],
            ret: Some("RawStatus".into()),
            cfg: None,
        },
    ];
    s.push_str(&extern_module(
        "bind_ffi",
        &format!("The handle helpers of the bound packages of `{m}`."),
        ext.iter(),
    ));
    s.push('\n');
    s.push_str(SHARED);
    if !known.chans.is_empty() {
        s.push_str(
            "\n/// A channel a wrapper returned, owning its handle ID.\n\
             #[allow(dead_code)]\nfn bind_chan<T: ChanElem>(id: u64) -> GoChan<T> {\n    GoChan {\n        id,\n        _elem: std::marker::PhantomData,\n    }\n}\n",
        );
    }
    s
}

const SHARED: &str = r#"/// What a bound Go function returns: its results, or why there are none.
pub type GoResult<T> = Result<T, GoError>;

/// The handle ID of a bound Go value (a struct behind `*T`, an interface, a slice, a map, ...),
/// owned: dropping it releases the ID once; cloning it gives the same Go value a second ID.
/// `Send` but not `Sync`: the Go type decides what may run concurrently.
#[derive(Debug)]
pub struct BoundHandle {
    id: u64,
    _not_sync: std::marker::PhantomData<std::cell::Cell<()>>,
}

impl BoundHandle {
    #[allow(dead_code)]
    fn own(id: u64) -> BoundHandle {
        BoundHandle {
            id,
            _not_sync: std::marker::PhantomData,
        }
    }

    /// True when the Go value is a nil pointer, map, slice, func, chan or interface.
    pub fn is_nil(&self) -> Result<bool, GoError> {
        if self.id == 0 {
            return Ok(true);
        }
        let mut nil = false;
        // SAFETY: `nil` is a live, writable local.
        let st = unsafe { bind_ffi::is_nil(self.id, &mut nil) };
        check("is_nil", st)?;
        Ok(nil)
    }

    /// Takes the ID out of a `GoValue` (no release, no new ID).
    #[allow(dead_code)]
    fn from_value(v: GoValue) -> BoundHandle {
        BoundHandle::own(bind_value_id(v))
    }

    /// Hands the ID to a `GoValue` (no release, no new ID).
    #[allow(dead_code)]
    fn into_value(self) -> GoValue {
        let this = std::mem::ManuallyDrop::new(self);
        GoValue::from_owned_id(this.id)
    }
}

impl Clone for BoundHandle {
    /// A second ID to the same Go value. Panics when Go's handle table is full.
    fn clone(&self) -> BoundHandle {
        let mut id = 0;
        // SAFETY: `id` is a live, writable local.
        let st = unsafe { bind_ffi::dup(self.id, &mut id) };
        if let Err(e) = check("clone", st) {
            panic!("cannot clone a Go handle: {e}");
        }
        BoundHandle::own(id)
    }
}

impl Drop for BoundHandle {
    fn drop(&mut self) {
        if self.id != 0 {
            let _ = ffi::release(self.id);
        }
    }
}

/// The ID a `GoValue` owns, taken out without releasing it.
#[allow(dead_code)]
fn bind_value_id(v: GoValue) -> u64 {
    v.into_owned_id()
}

/// An empty per-call message slot.
fn bind_msg() -> CBytes {
    CBytes {
        data: std::ptr::null_mut(),
        len: 0,
    }
}

/// Borrows string slices for a call (Go copies them).
#[allow(dead_code)]
fn bind_strs(v: &[&str]) -> Vec<CBytes> {
    v.iter()
        .map(|s| CBytes {
            data: s.as_ptr().cast_mut(),
            len: s.len(),
        })
        .collect()
}

/// Copies `n` values Go allocated for the host and frees them ([`go_free`]).
#[allow(dead_code)]
fn bind_take_vec<T: Copy>(p: *mut T, n: usize) -> Vec<T> {
    if p.is_null() {
        return Vec::new();
    }
    // SAFETY: Go returned `p` from C.malloc with `n` initialised values of T's C type.
    let v = unsafe { std::slice::from_raw_parts(p, n) }.to_vec();
    // SAFETY: `p` is Go's C allocation for this host and is not used after this call.
    unsafe { go_free(p.cast()) };
    v
}

/// Copies `n` strings Go allocated for the host, freeing each and then the array.
#[allow(dead_code)]
fn bind_take_strings(p: *mut CBytes, n: usize) -> Vec<String> {
    bind_take_vec(p, n)
        .into_iter()
        .map(|b| take_string(b.data, b.len))
        .collect()
}
"#;

/// A name the bound API declares: an ASCII Rust identifier that is not a keyword.
pub(crate) fn check_rust_ident(what: &'static str, s: &str) -> Result<(), HostError> {
    let bad = |why: NameProblem| HostError::BadName {
        what,
        value: s.to_string(),
        why,
    };
    let mut bytes = s.bytes();
    match bytes.next() {
        Some(b) if b.is_ascii_alphabetic() || b == b'_' => {}
        _ => return Err(bad(NameProblem::NotAscii)),
    }
    if !bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(bad(NameProblem::NotAscii));
    }
    if is_rust_keyword(s) {
        return Err(bad(NameProblem::RustKeyword));
    }
    Ok(())
}

/// Makes one doc comment line safe: no control or bidi characters, no trailing space.
fn clean_doc(line: &str) -> String {
    let s: String = line
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    s.trim_end().to_string()
}

/// `///` lines of `doc` at `indent` (or `fallback` when the doc is empty).
fn doc_lines(indent: usize, doc: &str, fallback: &str) -> String {
    let pad = " ".repeat(indent);
    let text = if doc.trim().is_empty() { fallback } else { doc };
    let mut s = String::new();
    for l in text.lines() {
        let l = clean_doc(l.trim_start());
        if l.is_empty() {
            s.push_str(&format!("{pad}///\n"));
        } else {
            s.push_str(&format!("{pad}/// {l}\n"));
        }
    }
    if s.is_empty() {
        s.push_str(&format!("{pad}/// {}\n", clean_doc(fallback)));
    }
    s
}

/// The path of a bound type from inside package module `here`.
fn type_path(t: &TypeRef, here: &str) -> String {
    if t.rust_mod == here {
        t.rust_name.clone()
    } else {
        format!("super::{}::{}", t.rust_mod, t.rust_name)
    }
}

/// `let lhs = rhs;` at `indent`, broken after `=` as rustfmt does when it does not fit.
fn let_line(indent: usize, lhs: &str, rhs: &str) -> String {
    let pad = " ".repeat(indent);
    let one = format!("{pad}let {lhs} = {rhs};\n");
    if one.len() <= WIDTH + 1 {
        one
    } else {
        format!("{pad}let {lhs} =\n{pad}    {rhs};\n")
    }
}

/// True when rustc's `non_camel_case_types` lint accepts `name`: it starts with an upper-case
/// letter and has no `_` (Go type names are ASCII here: `check_rust_ident`).
fn is_upper_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase()) && !name.contains('_')
}

/// One package module.
fn package(p: &BoundPackage, known: &Known) -> Result<String, HostError> {
    let here = p.rust_mod.as_str();
    let mut s = format!(
        "/// The Go package `{}`, bound (`{}`).\n",
        clean_doc(&p.import_path),
        p.go_name
    );
    // Go's names and signatures, kept as they are, trip these lints: `Len` without `IsEmpty`,
    // `New` returning a handle or read as a field (`Pool.New`), `Clone`/`Cmp` methods,
    // `math.Pi` spelled out exactly.
    s.push_str(
        "#[allow(\n    clippy::too_many_arguments,\n    clippy::type_complexity,\n    \
         clippy::len_without_is_empty,\n    clippy::new_ret_no_self,\n    \
         clippy::should_implement_trait,\n    clippy::wrong_self_convention,\n    \
         clippy::approx_constant\n)]\n",
    );
    // Types keep their Go names (`debug/elf.R_386`), which Rust's style lint would flag.
    if p.types.iter().any(|t| !is_upper_camel(&t.rust.rust_name)) {
        s.push_str("#[allow(non_camel_case_types)]\n");
    }
    s.push_str(&format!("pub mod {here} {{\n"));
    let mut first = true;
    let mut sep = |s: &mut String| {
        if !first {
            s.push('\n');
        }
        first = false;
    };
    // Wrappers.
    let mut fns: Vec<Func<'_>> = Vec::new();
    for (i, f) in p.funcs.iter().enumerate() {
        check_c_ident("wrapper symbol", &f.c_symbol)?;
        check_rust_ident("Rust function name", &f.rust_name)?;
        fns.push(Func::new(f, i, here, known)?);
    }
    if !fns.is_empty() {
        sep(&mut s);
        s.push_str(&format!(
            "    /// The `//export` wrappers of `{}`.\n    mod ffi {{\n        use super::super::{{CBytes, RawStatus}};\n\n        unsafe extern \"C\" {{\n",
            p.go_name
        ));
        for f in &fns {
            s.push_str(&format!(
                "            #[link_name = \"{}\"]\n",
                f.f.c_symbol
            ));
            s.push_str(&fn_sig(
                12,
                &format!("pub(super) fn w{}", f.index),
                &f.c_params,
                Some("RawStatus"),
                ";",
            ));
        }
        s.push_str("        }\n    }\n");
    }
    // Constants.
    for c in &p.consts {
        check_rust_ident("Rust constant name", &c.rust_name)?;
        sep(&mut s);
        s.push_str(&doc_lines(4, &c.doc, &format!("Go `{}`.", c.go_symbol)));
        // `&str` in a const is `'static` already (clippy: redundant_static_lifetimes).
        let (ty, value) = match &c.newtype {
            Some(t) => {
                let path = type_path(t, &p.rust_mod);
                (path.clone(), format!("{path}({})", c.literal))
            }
            None => (c.rust_type.to_string(), c.literal.clone()),
        };
        let one = format!("    pub const {}: {ty} = {value};\n", c.rust_name);
        if one.len() <= WIDTH + 1 {
            s.push_str(&one);
        } else {
            s.push_str(&format!(
                "    pub const {}: {ty} =\n        {value};\n",
                c.rust_name
            ));
        }
    }
    // Types and their methods.
    for t in &p.types {
        check_rust_ident("Rust type name", &t.rust.rust_name)?;
        sep(&mut s);
        s.push_str(&bound_type(t, &p.import_path, known));
        let methods: Vec<&Func<'_>> = fns
            .iter()
            .filter(|f| f.f.owner.as_ref() == Some(&t.rust))
            .collect();
        let handle = matches!(
            t.kind,
            TypeKind::Struct | TypeKind::Interface | TypeKind::Other
        );
        if handle || !methods.is_empty() {
            s.push('\n');
            s.push_str(&format!("    impl {} {{\n", t.rust.rust_name));
            let mut first_m = true;
            if handle {
                s.push_str(
                    "        /// True when the Go value is a nil pointer, map, slice, func, chan or interface.\n        pub fn is_nil(&self) -> super::GoResult<bool> {\n            self.0.is_nil()\n        }\n",
                );
                first_m = false;
            }
            for f in methods {
                if !first_m {
                    s.push('\n');
                }
                first_m = false;
                s.push_str(&f.render(8));
            }
            s.push_str("    }\n");
        }
    }
    // Free functions and variables.
    for f in fns.iter().filter(|f| f.f.owner.is_none()) {
        sep(&mut s);
        s.push_str(&f.render(4));
    }
    // A package with nothing bound (every symbol skipped) is an empty module, as rustfmt
    // writes it.
    if s.ends_with(" {\n") {
        s.truncate(s.len() - 1);
        s.push_str("}\n");
    } else {
        s.push_str("}\n");
    }
    Ok(s)
}

fn bound_type(t: &BoundType, import_path: &str, known: &Known) -> String {
    let n = &t.rust.rust_name;
    // A Go name that is an acronym (`URL`) stays as Go spells it.
    let acr = if n.len() > 1 && !n.bytes().any(|b| b.is_ascii_lowercase()) {
        "    #[allow(clippy::upper_case_acronyms)]\n"
    } else {
        ""
    };
    let mut s = doc_lines(4, &t.doc, &format!("Go type `{}`.", t.go_name));
    match &t.kind {
        TypeKind::Scalar { scalar } => {
            let derives = if matches!(scalar.rust, "f32" | "f64") {
                "Clone, Copy, Debug, Default, PartialEq, PartialOrd"
            } else {
                "Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash"
            };
            s.push_str(&format!(
                "{acr}    #[derive({derives})]\n    pub struct {n}(pub {});\n",
                scalar.rust
            ));
        }
        TypeKind::String => {
            s.push_str(&format!(
                "{acr}    #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]\n    pub struct {n}(pub ::std::string::String);\n"
            ));
        }
        _ => {
            s.push_str(&format!(
                "{acr}    #[derive(Clone, Debug)]\n    pub struct {n}(pub(super) super::BoundHandle);\n"
            ));
            s.push_str(&format!(
                "\n    impl ::core::convert::From<{n}> for super::GoValue {{\n        fn from(v: {n}) -> super::GoValue {{\n            v.0.into_value()\n        }}\n    }}\n"
            ));
            s.push_str(&format!(
                "\n    impl ::core::convert::From<super::GoValue> for {n} {{\n        /// Trusts that the value is a `{}` (a wrapper given another Go type reports\n        /// `Status::WrongKind`).\n        fn from(v: super::GoValue) -> {n} {{\n            {n}(super::BoundHandle::from_value(v))\n        }}\n    }}\n",
                clean_doc(&t.go_name)
            ));
            // The element newtype of a handle channel carrying this type.
            let go = format!("{import_path}.{}", t.go_name);
            let want = if t.kind == TypeKind::Struct {
                format!("*{go}")
            } else {
                go
            };
            for c in known.chans.iter().filter(|c| c.handle && c.elem == want) {
                let r = &c.rust;
                s.push_str(&format!(
                    "\n    impl ::core::convert::From<super::{r}> for {n} {{\n        fn from(v: super::{r}) -> {n} {{\n            let v = ::core::mem::ManuallyDrop::new(v);\n            {n}(super::BoundHandle::own(v.0.id))\n        }}\n    }}\n"
                ));
                s.push_str(&format!(
                    "\n    impl ::core::convert::From<{n}> for super::{r} {{\n        fn from(v: {n}) -> super::{r} {{\n            super::{r}(v.0.into_value())\n        }}\n    }}\n"
                ));
            }
        }
    }
    s
}

/// A signature whose last line is still too wide, or whose result tuple is wider than
/// rustfmt's list width (`fn_call_width`, measured: a 61-character tuple is broken, a
/// 60-character one is not), gets its result tuple one element per line, as rustfmt does.
fn break_tuple_result(sig: &str, indent: usize, results: &[Res]) -> String {
    let body = sig.trim_end_matches('\n');
    let (head, last) = match body.rfind('\n') {
        Some(i) => (&body[..=i], &body[i + 1..]),
        None => ("", body),
    };
    let tuple: Vec<&str> = results.iter().map(|r| r.2.as_str()).collect();
    let wide = tuple.join(", ").len() > CALL_WIDTH;
    if (last.len() <= WIDTH && !wide) || results.len() < 2 {
        return sig.to_string();
    }
    let Some(at) = last.find("<(") else {
        return sig.to_string();
    };
    let pad = " ".repeat(indent);
    let mut s = format!("{head}{}\n", &last[..at + 2]);
    for r in results {
        s.push_str(&format!("{pad}    {},\n", r.2));
    }
    s.push_str(&format!("{pad})> {{\n"));
    s
}

/// The Rust element type of a channel, from inside a package module.
fn chan_elem(c: &KnownChan) -> String {
    if c.handle {
        format!("super::{}", c.rust)
    } else if c.rust == "String" {
        "::std::string::String".into()
    } else {
        c.rust.clone()
    }
}

/// A result: its `let` (name, value) or none, the expression returned, the Rust type.
type Res = (Option<(String, String)>, String, String);

/// One wrapper, resolved.
struct Func<'a> {
    f: &'a BoundFunc,
    index: usize,
    /// The extern parameters (Rust types).
    c_params: Vec<String>,
    /// The safe function's parameters.
    params: Vec<String>,
    /// Statements before the call.
    pre: Vec<(String, String)>,
    /// Arguments of the call.
    args: Vec<String>,
    /// Out locals: (name, type, initial value).
    outs: Vec<(String, String, String)>,
    /// Per result: (`let` name and value, or the plain expression) and the Rust type.
    results: Vec<Res>,
}

impl<'a> Func<'a> {
    fn new(
        f: &'a BoundFunc,
        index: usize,
        here: &str,
        known: &Known,
    ) -> Result<Func<'a>, HostError> {
        let mut x = Func {
            f,
            index,
            c_params: Vec::new(),
            params: Vec::new(),
            pre: Vec::new(),
            args: Vec::new(),
            outs: Vec::new(),
            results: Vec::new(),
        };
        match &f.receiver {
            // A pointer-receiver method of a named basic type: the newtype's scalar goes in and
            // comes back changed, as the Go variable would.
            Some(
                r @ Value {
                    class: Class::Scalar { scalar, .. },
                    ..
                },
            ) if f.writes_receiver => {
                x.params.push("&mut self".into());
                x.args.push("&mut self.0".into());
                x.c_params
                    .push(format!("p_{}: *mut {}", r.name, scalar.rust));
            }
            Some(r) => {
                x.params.push("&self".into());
                x.input(r, "self", here, known, true)?;
            }
            None => {}
        }
        for v in &f.params {
            check_rust_ident("parameter name", &v.name)?;
            x.input(v, &v.name.clone(), here, known, false)?;
        }
        for v in &f.results {
            check_rust_ident("result name", &v.name)?;
            x.output(v, here, known);
        }
        x.c_params.push("msg: *mut CBytes".into());
        Ok(x)
    }

    fn input(
        &mut self,
        v: &Value,
        e: &str,
        here: &str,
        known: &Known,
        receiver: bool,
    ) -> Result<(), HostError> {
        let n = &v.name;
        let mut ptype = String::new();
        let mut param = |ty: String| ptype = ty;
        match &v.class {
            Class::Scalar { scalar, named } => {
                match named {
                    Some(t) => {
                        param(type_path(t, here));
                        self.args.push(format!("{e}.0"));
                    }
                    None => {
                        param(scalar.rust.to_string());
                        self.args.push(e.to_string());
                    }
                }
                self.c_params.push(format!("p_{n}: {}", scalar.rust));
            }
            Class::String { named } => {
                let inner = match named {
                    Some(t) => {
                        param(format!("&{}", type_path(t, here)));
                        format!("{e}.0")
                    }
                    None => {
                        param("&str".into());
                        e.to_string()
                    }
                };
                self.args.push(format!("{inner}.as_ptr()"));
                self.args.push(format!("{inner}.len()"));
                self.c_params.push(format!("p_{n}: *const u8"));
                self.c_params.push(format!("p_{n}_len: usize"));
            }
            Class::Bytes | Class::ScalarSlice { .. } => {
                let elem = match &v.class {
                    Class::ScalarSlice { scalar } => scalar.rust,
                    _ => "u8",
                };
                param(format!("&[{elem}]"));
                self.args.push(format!("{e}.as_ptr()"));
                self.args.push(format!("{e}.len()"));
                self.c_params.push(format!("p_{n}: *const {elem}"));
                self.c_params.push(format!("p_{n}_len: usize"));
            }
            Class::StringSlice => {
                param("&[&str]".into());
                self.pre
                    .push((format!("s_{n}"), format!("super::bind_strs({e})")));
                self.args.push(format!("s_{n}.as_ptr()"));
                self.args.push(format!("s_{n}.len()"));
                self.c_params.push(format!("p_{n}: *const CBytes"));
                self.c_params.push(format!("p_{n}_len: usize"));
            }
            Class::Handle { typed, .. } => {
                match typed {
                    Some(t) => {
                        param(format!("&{}", type_path(t, here)));
                        self.args.push(format!("{e}.0.id"));
                    }
                    None => {
                        param("&super::GoValue".into());
                        self.args.push(format!("{e}.id"));
                    }
                }
                self.c_params.push(format!("p_{n}: u64"));
            }
            Class::Func { signature } => {
                match known.callbacks.iter().find(|(sig, _)| sig == signature) {
                    Some((_, alias)) => param(format!("&super::GoCallback<super::{alias}>")),
                    None => param("&super::GoValue".into()),
                }
                self.args.push(format!("{e}.id"));
                self.c_params.push(format!("p_{n}: u64"));
            }
            Class::Chan { base, .. } => {
                match known.chans.iter().find(|c| &c.base == base) {
                    Some(c) => param(format!("&super::GoChan<{}>", chan_elem(c))),
                    None => param("&super::GoValue".into()),
                }
                self.args.push(format!("{e}.id"));
                self.c_params.push(format!("p_{n}: u64"));
            }
            _ => {
                return Err(HostError::Unsupported {
                    symbol: self.f.c_symbol.clone(),
                    what: format!("parameter {n}: a class this renderer does not know"),
                });
            }
        }
        if !receiver {
            self.params.push(format!("{e}: {ptype}"));
        }
        Ok(())
    }

    fn output(&mut self, v: &Value, here: &str, known: &Known) {
        let n = &v.name;
        let o = format!("o_{n}");
        let ol = format!("o_{n}_len");
        let null = "::core::ptr::null_mut()".to_string();
        let ptr_out = |this: &mut Func<'_>, elem: &str| {
            let local = if elem == "CBytes" {
                "super::CBytes"
            } else {
                elem
            };
            this.outs
                .push((o.clone(), format!("*mut {local}"), null.clone()));
            this.outs.push((ol.clone(), "usize".into(), "0".into()));
            this.args.push(format!("&mut {o}"));
            this.args.push(format!("&mut {ol}"));
            this.c_params.push(format!("p_{n}: *mut *mut {elem}"));
            this.c_params.push(format!("p_{n}_len: *mut usize"));
        };
        let (value, ty): (String, String) = match &v.class {
            Class::Scalar { scalar, named } => {
                let zero = match scalar.rust {
                    "bool" => "false",
                    "f32" | "f64" => "0.0",
                    _ => "0",
                };
                self.outs
                    .push((o.clone(), scalar.rust.to_string(), zero.to_string()));
                self.args.push(format!("&mut {o}"));
                self.c_params.push(format!("p_{n}: *mut {}", scalar.rust));
                match named {
                    Some(t) => {
                        let p = type_path(t, here);
                        (format!("{p}({o})"), p)
                    }
                    None => {
                        self.results
                            .push((None, o.clone(), scalar.rust.to_string()));
                        return;
                    }
                }
            }
            Class::String { named } => {
                ptr_out(self, "u8");
                let take = format!("super::take_string({o}, {ol})");
                match named {
                    Some(t) => {
                        let p = type_path(t, here);
                        (format!("{p}({take})"), p)
                    }
                    None => (take, "::std::string::String".into()),
                }
            }
            Class::Bytes => {
                ptr_out(self, "u8");
                (
                    format!("super::bind_take_vec({o}, {ol})"),
                    "::std::vec::Vec<u8>".into(),
                )
            }
            Class::ScalarSlice { scalar } => {
                ptr_out(self, scalar.rust);
                (
                    format!("super::bind_take_vec({o}, {ol})"),
                    format!("::std::vec::Vec<{}>", scalar.rust),
                )
            }
            Class::StringSlice => {
                ptr_out(self, "CBytes");
                (
                    format!("super::bind_take_strings({o}, {ol})"),
                    "::std::vec::Vec<::std::string::String>".into(),
                )
            }
            _ => {
                self.outs.push((o.clone(), "u64".into(), "0".into()));
                self.args.push(format!("&mut {o}"));
                self.c_params.push(format!("p_{n}: *mut u64"));
                match &v.class {
                    Class::Handle { typed: Some(t), .. } => {
                        let p = type_path(t, here);
                        (format!("{p}(super::BoundHandle::own({o}))"), p)
                    }
                    Class::Chan { base, .. } => {
                        match known.chans.iter().find(|c| &c.base == base) {
                            Some(c) => (
                                format!("super::bind_chan({o})"),
                                format!("super::GoChan<{}>", chan_elem(c)),
                            ),
                            None => (
                                format!("super::GoValue::from_owned_id({o})"),
                                "super::GoValue".into(),
                            ),
                        }
                    }
                    _ => (
                        format!("super::GoValue::from_owned_id({o})"),
                        "super::GoValue".into(),
                    ),
                }
            }
        };
        let local = format!("v_{n}");
        self.results.push((Some((local.clone(), value)), local, ty));
    }

    fn render(&self, indent: usize) -> String {
        let f = self.f;
        let pad = " ".repeat(indent);
        let body = indent + 4;
        let bpad = " ".repeat(body);
        let kind = match f.kind {
            FuncKind::Func => "function",
            FuncKind::Method => "method",
            FuncKind::Getter => "field (read)",
            FuncKind::Setter => "field (write)",
            FuncKind::Zero => "zero value",
            FuncKind::Var => "variable",
            _ => "symbol",
        };
        let mut s = doc_lines(indent, &f.doc, "");
        if f.doc.trim().is_empty() {
            s.clear();
        } else {
            s.push_str(&format!("{pad}///\n"));
        }
        s.push_str(&format!(
            "{pad}/// Go {kind} `{}`.\n",
            clean_doc(&f.go_symbol).replace('`', "'")
        ));
        let ret = crate::rust::result_type(self.results.iter().map(|r| r.2.as_str()));
        let sig = fn_sig(
            indent,
            &format!("pub fn {}", f.rust_name),
            &self.params,
            Some(&format!("super::GoResult<{ret}>")),
            " {",
        );
        s.push_str(&break_tuple_result(&sig, indent, &self.results));
        for (name, value) in &self.pre {
            s.push_str(&let_line(body, name, value));
        }
        for (name, ty, init) in &self.outs {
            s.push_str(&let_line(body, &format!("mut {name}: {ty}"), init));
        }
        s.push_str(&format!("{bpad}let mut msg = super::bind_msg();\n"));
        s.push_str(&format!(
            "{bpad}// SAFETY: inputs point to live memory for the call (Go copies it); out-pointers\n{bpad}// are live locals of the declared C types.\n"
        ));
        let mut args = self.args.clone();
        args.push("&mut msg".into());
        push_let_st(
            &mut s,
            body,
            &format!("ffi::w{}({})", self.index, args.join(", ")),
            true,
        );
        let op = format!("{:?}", f.go_symbol);
        let inner = format!("{op}, st, msg");
        let one = format!("{bpad}super::check_msg({inner})?;");
        if one.len() <= WIDTH && inner.len() <= CALL_WIDTH {
            s.push_str(&one);
            s.push('\n');
        } else {
            s.push_str(&format!(
                "{bpad}super::check_msg(\n{bpad}    {op},\n{bpad}    st,\n{bpad}    msg,\n{bpad})?;\n"
            ));
        }
        for (l, _, _) in &self.results {
            if let Some((name, value)) = l {
                s.push_str(&let_line(body, name, value));
            }
        }
        let values: Vec<&str> = self.results.iter().map(|r| r.1.as_str()).collect();
        let value = match values.len() {
            0 => "()".to_string(),
            1 => values[0].to_string(),
            _ => format!("({})", values.join(", ")),
        };
        let line = format!("{bpad}::core::result::Result::Ok({value})");
        if line.len() <= WIDTH && value.len() <= CALL_WIDTH || values.len() < 2 {
            s.push_str(&line);
            s.push('\n');
        } else {
            s.push_str(&format!("{bpad}::core::result::Result::Ok((\n"));
            for v in values {
                s.push_str(&format!("{bpad}    {v},\n"));
            }
            s.push_str(&format!("{bpad}))\n"));
        }
        s.push_str(&format!("{pad}}}\n"));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(types: &[&str]) -> Vec<Res> {
        types
            .iter()
            .map(|t| (None, String::new(), t.to_string()))
            .collect()
    }

    /// rustfmt 1.95 keeps a result tuple of up to 60 characters (between the parentheses) on
    /// the signature's line and breaks a wider one, even when the line would fit (measured).
    #[test]
    fn result_tuples_break_as_rustfmt_does() {
        let sig = |types: &[&str]| {
            let res = results(types);
            let ret = format!("super::GoResult<({})>", types.join(", "));
            let one = fn_sig(4, "pub fn f", &[], Some(&ret), " {");
            break_tuple_result(&one, 4, &res)
        };
        let a57 = "A".repeat(57);
        let kept = sig(&[a57.as_str(), "B"]); // 57 + 2 + 1 = 60
        assert_eq!(
            kept,
            format!("    pub fn f() -> super::GoResult<({a57}, B)> {{\n")
        );
        let a58 = "A".repeat(58);
        let broken = sig(&[a58.as_str(), "B"]); // 61
        assert_eq!(
            broken,
            format!("    pub fn f() -> super::GoResult<(\n        {a58},\n        B,\n    )> {{\n")
        );
        // One result is not a tuple.
        let long = "B".repeat(70);
        assert!(!sig(&[long.as_str()]).contains("<(\n"));
    }
}
