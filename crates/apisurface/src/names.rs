//! Every name gobridge generates, in one place: the `mochi` prefix, build tags, file names, C
//! symbols and types, status codes, the Go runtime's helper names, and the Rust spelling of Go
//! names.
//!
//! Renderers never spell a generated name themselves; they call these functions and constants,
//! so a rename happens here once. The seed's C symbol forms and build tags are kept for parity:
//! `mochi_<module>_<base>_chan_<op>`, `mochi_<module>_<base>_cb_<op>`, `mochi_<module>_<op>`,
//! `//go:build mochi_wrap`, `mochi_no_linkname`.
//!
//! The builders here format; they do not validate. Their parts (module flat names, bases, Go
//! identifiers) must already be checked identifiers (see [`crate::validate`]), which keeps the
//! results identifiers too.
//!
//! ```
//! use apisurface::names;
//! assert_eq!(names::chan_symbol("example", "int64", "send"), "mochi_example_int64_chan_send");
//! assert_eq!(names::module_symbol("example", "release"), "mochi_example_release");
//! assert_eq!(names::snake_case("HTTPServer"), "http_server");
//! assert_eq!(names::rust_ident("type"), "type_");
//! assert_eq!(names::Status::GoError.c_name(), "MOCHI_GO_ERROR");
//! ```

/// The prefix of every generated C symbol, C type and Go helper.
pub const PREFIX: &str = "mochi";

/// Build tag of every generated cgo file (`//go:build mochi_wrap`).
pub const TAG_WRAP: &str = "mochi_wrap";

/// Build tag that swaps `//go:linkname` wrappers for their fallback file.
pub const TAG_NO_LINKNAME: &str = "mochi_no_linkname";

/// The build expression of the linkname wrapper file: `!` [`TAG_NO_LINKNAME`].
pub const TAG_LINKNAME: &str = "!mochi_no_linkname";

/// Generated file names and output-relative paths.
pub mod file {
    /// The handle runtime.
    pub const RUNTIME: &str = "mochi_rt.go";
    /// Channel and callback shims.
    pub const SHIMS: &str = "mochi_shims.go";
    /// Host-callback trampolines.
    pub const HOST: &str = "mochi_host.go";
    /// `//export` wrappers of bound packages.
    pub const BIND: &str = "mochi_bind.go";
    /// The empty `func main()` a c-archive needs.
    pub const MAIN: &str = "main.go";
    /// `//go:linkname` wrappers.
    pub const LINKNAME: &str = "mochi_linkname.go";
    /// The `mochi_no_linkname` fallback of the linkname wrappers.
    pub const FALLBACK: &str = "mochi_fallback.go";
    /// Folder of the cgo package (runtime, shims, wrappers, `main.go`).
    pub const CGO_DIR: &str = "cgo";
    /// Folder of the generated Rust module.
    pub const RUST_DIR: &str = "rust";

    /// Output-relative path of a file of the cgo package.
    pub fn cgo(name: &str) -> String {
        format!("{CGO_DIR}/{name}")
    }

    /// Output-relative path of the generated Rust module of module `module_flat`.
    pub fn rust_module(module_flat: &str) -> String {
        format!("{RUST_DIR}/{module_flat}.rs")
    }

    /// Output-relative path of a linkname-family file for package directory `dir`.
    pub fn linkname(dir: &str, name: &str) -> String {
        format!("linkname/{dir}/{name}")
    }

    /// Output-relative path of the wasm reactor of package directory `dir`.
    pub fn wasm_main(dir: &str) -> String {
        format!("wasm/{dir}/{MAIN}")
    }

    /// The static library name for `go build -buildmode=c-archive` (`lib<module>.a`).
    pub fn c_archive(module_flat: &str) -> String {
        format!("lib{module_flat}.a")
    }
}

/// C type names of the boundary.
pub mod c {
    /// The status enum every shim returns.
    pub const STATUS: &str = "mochi_status";
    /// `{char *data; size_t len;}`: strings in select cases and per-call messages.
    pub const BYTES: &str = "mochi_bytes";
    /// One case of `mochi_<M>_select`.
    pub const SELECT_CASE: &str = "mochi_select_case";
    /// Select operation: send.
    pub const SELECT_SEND: &str = "MOCHI_SELECT_SEND";
    /// Select operation: receive.
    pub const SELECT_RECV: &str = "MOCHI_SELECT_RECV";
}

/// Names of the handle runtime's Go helpers (`mochi_rt.go`), fixed by the seed.
pub mod go {
    /// `func mochiAcquireHandle(v any) uint64`.
    pub const ACQUIRE: &str = "mochiAcquireHandle";
    /// `func mochiResolveHandle(id uint64) (any, bool)`.
    pub const RESOLVE: &str = "mochiResolveHandle";
    /// `func mochiReleaseHandle(id uint64) bool`.
    pub const RELEASE: &str = "mochiReleaseHandle";

    /// A package-level Go helper of module `module` (`mochi_<module>_<what>`).
    pub fn helper(module: &str, what: &str) -> String {
        super::module_symbol(module, what)
    }

    /// The prefix of module `module`'s Go helpers (`mochi_<module>`), for Go text that names
    /// several of them: `format!("{prefix}_guard(&st, msg)")`.
    pub fn helper_prefix(module: &str) -> String {
        format!("{}_{module}", super::PREFIX)
    }
}

/// The status every shim and wrapper returns: the C enum `mochi_status` of the boundary.
///
/// The numeric values are part of the C ABI and never change; new codes are only appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Status {
    /// The operation succeeded; out-parameters are written.
    Ok,
    /// The channel is closed: a send or close on a closed channel, or a receive on a closed and
    /// drained channel (whose handle is then released).
    Closed,
    /// `try_send`: the buffer is full (nothing was sent).
    Full,
    /// `try_recv`: nothing is buffered (nothing was received).
    Empty,
    /// `select` with a non-blocking default: no case was ready.
    WouldBlock,
    /// An ID that is zero, was never issued, or was released.
    UnknownHandle,
    /// An ID that resolves to a value of another kind (a callback ID given to a channel shim, a
    /// channel of another element type, a value of the wrong type).
    WrongKind,
    /// Go code panicked (a callback, a wrapped function, or an unexpected runtime error). A call
    /// with a message slot (`mochi_bytes *msg`) gets the panic's text there; the channel, select
    /// and release shims run no user code and carry no text.
    Panic,
    /// The handle table is at its cap; nothing was acquired.
    Exhausted,
    /// A bad argument: a NULL out-pointer, a negative length, a NULL data pointer with a
    /// non-zero length, an out-of-range buffer size, or a malformed select case.
    BadArg,
    /// The Go function returned a non-nil `error`; its `Error()` text is in the call's message
    /// slot (`mochi_bytes *msg`).
    GoError,
}

impl Status {
    /// Every status, in numeric order.
    pub const ALL: [Status; 11] = [
        Status::Ok,
        Status::Closed,
        Status::Full,
        Status::Empty,
        Status::WouldBlock,
        Status::UnknownHandle,
        Status::WrongKind,
        Status::Panic,
        Status::Exhausted,
        Status::BadArg,
        Status::GoError,
    ];

    /// The numeric value in the C enum.
    pub fn value(self) -> i32 {
        Status::ALL
            .iter()
            .position(|s| *s == self)
            .expect("every status is in ALL") as i32
    }

    /// The status with numeric value `v`, if there is one.
    pub fn from_value(v: i32) -> Option<Status> {
        usize::try_from(v)
            .ok()
            .and_then(|i| Status::ALL.get(i).copied())
    }

    /// The C enumerator (`MOCHI_UNKNOWN_HANDLE`).
    pub fn c_name(self) -> String {
        format!("MOCHI_{}", screaming_snake_case(self.rust_name()))
    }

    /// The Rust variant name (`UnknownHandle`).
    pub fn rust_name(self) -> &'static str {
        match self {
            Status::Ok => "Ok",
            Status::Closed => "Closed",
            Status::Full => "Full",
            Status::Empty => "Empty",
            Status::WouldBlock => "WouldBlock",
            Status::UnknownHandle => "UnknownHandle",
            Status::WrongKind => "WrongKind",
            Status::Panic => "Panic",
            Status::Exhausted => "Exhausted",
            Status::BadArg => "BadArg",
            Status::GoError => "GoError",
        }
    }
}

/// `mochi_<module>_<op>`: a module-wide symbol (`release`, `free`, `live`, `select`).
pub fn module_symbol(module: &str, op: &str) -> String {
    format!("{PREFIX}_{module}_{op}")
}

/// `mochi_<module>_<base>_chan`: the prefix of a channel shim's symbols.
pub fn chan_prefix(module: &str, base: &str) -> String {
    format!("{PREFIX}_{module}_{base}_chan")
}

/// `mochi_<module>_<base>_chan_<op>`.
pub fn chan_symbol(module: &str, base: &str, op: &str) -> String {
    format!("{}_{op}", chan_prefix(module, base))
}

/// `mochi_<module>_<base>_cb`: the prefix of a callback shim's symbols.
pub fn cb_prefix(module: &str, base: &str) -> String {
    format!("{PREFIX}_{module}_{base}_cb")
}

/// `mochi_<module>_<base>_cb_<op>`.
pub fn cb_symbol(module: &str, base: &str, op: &str) -> String {
    format!("{}_{op}", cb_prefix(module, base))
}

/// `mochi_<module>_<base>_host`: the prefix of a host-callback trampoline's symbols.
pub fn host_prefix(module: &str, base: &str) -> String {
    format!("{PREFIX}_{module}_{base}_host")
}

/// `mochi_<module>_<package>_<part>_<part>...`: a wrapper of a bound package's symbol
/// (`mochi_m_strings_ToUpper`, `mochi_m_bytes_Buffer_Len`, `mochi_m_url_URL_get_Host`).
pub fn bind_symbol(module: &str, package: &str, parts: &[&str]) -> String {
    let mut s = format!("{PREFIX}_{module}_{package}");
    for p in parts {
        s.push('_');
        s.push_str(p);
    }
    s
}

/// Rust's strict and reserved keywords (every edition), plus `_`; sorted by byte.
const RUST_KEYWORDS: [&str; 54] = [
    "Self", "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// True for a Rust keyword (strict or reserved, any edition) or `_`. `union` is included though
/// it is contextual, to keep generated items unambiguous.
pub fn is_rust_keyword(s: &str) -> bool {
    RUST_KEYWORDS.binary_search(&s).is_ok()
}

/// Item names the root of a generated Rust module declares itself (host-render's prelude,
/// runtime and binding helpers, and the nested modules of its `extern` blocks). A bound Go
/// package's module may not take one: [`rust_module_name`] moves it aside.
pub const RUST_ROOT_NAMES: [&str; 51] = [
    // The prelude and runtime (host-render's `rust.rs`).
    "RawStatus",
    "Status",
    "GoError",
    "GoValue",
    "GoHandle",
    "CBytes",
    "RawSelectCase",
    "SelSlot",
    "TakeFn",
    "ChanElem",
    "GoChan",
    "Select",
    "RecvCase",
    "Selected",
    "GoCallback",
    "HostDropFn",
    "HostPool",
    "host_release",
    "ffi",
    "OK",
    "SELECT_SEND",
    "SELECT_RECV",
    "check",
    "check_msg",
    "exports",
    "live",
    "host_live",
    "take_string",
    "go_free",
    "status_error",
    "closed_if_gone",
    "take_boxed",
    "host_panic",
    "host_text",
    "host_str",
    // The binding helpers (host-render's `bind.rs`).
    "BoundHandle",
    "bind_ffi",
    "bind_msg",
    "bind_strs",
    "bind_take_vec",
    "bind_take_strings",
    "bind_chan",
    "bind_value_id",
    "GoResult",
    "libc",
    "host_string_out",
    // Imported by the prelude, or crate paths the module's code names (`std::sync`): a local
    // module of that name would shadow them.
    "c_void",
    "handlepool",
    "std",
    "core",
    "alloc",
];

/// True for a name of [`RUST_ROOT_NAMES`], or one of the numbered `extern` modules of channel
/// and callback shims (`chan0`, `host3`).
pub fn is_rust_root_name(s: &str) -> bool {
    let numbered = |p: &str| {
        s.strip_prefix(p)
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    };
    RUST_ROOT_NAMES.contains(&s) || numbered("chan") || numbered("host")
}

/// The Rust module name of a Go package named `name`: the name itself, with `_` appended when
/// it is a Rust keyword (`type_`) or a name the generated module's root declares itself
/// ([`is_rust_root_name`]: `ffi_`, `libc_`).
pub fn rust_module_name(name: &str) -> String {
    if is_rust_keyword(name) || is_rust_root_name(name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

/// `s` as a Rust identifier: a keyword gets a trailing underscore (`type` → `type_`).
pub fn rust_ident(s: &str) -> String {
    if is_rust_keyword(s) {
        format!("{s}_")
    } else {
        s.to_string()
    }
}

/// Splits a Go name into words: a boundary before an upper-case letter that follows a lower-case
/// letter or digit, and before the last upper-case letter of an upper-case run followed by a
/// lower-case letter; `_` separates words too.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let after_lower = prev.is_lowercase() || prev.is_numeric();
            let run_end = prev.is_uppercase() && next_lower;
            if after_lower || run_end {
                words.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Go name → Rust function name: `ToUpper` → `to_upper`, `HTTPServer` → `http_server`,
/// `ParseURL` → `parse_url`, `NewV4` → `new_v4`. Not keyword-escaped: see [`rust_fn_name`].
pub fn snake_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// Go name → Rust constant name: `MaxInt64` → `MAX_INT64`.
pub fn screaming_snake_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_uppercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// Go name → a usable Rust function/method name: snake case, keyword-escaped.
pub fn rust_fn_name(name: &str) -> String {
    rust_ident(&snake_case(name))
}

/// Go name → a usable Rust constant name: screaming snake case, keyword-escaped.
pub fn rust_const_name(name: &str) -> String {
    rust_ident(&screaming_snake_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_follows_the_documented_split() {
        for (go, rust) in [
            ("ToUpper", "to_upper"),
            ("FindAllString", "find_all_string"),
            ("HTTPServer", "http_server"),
            ("ParseURL", "parse_url"),
            ("Atoi", "atoi"),
            ("NewV4", "new_v4"),
            ("LessThan", "less_than"),
            ("URL", "url"),
            ("A", "a"),
            ("IsUTF8", "is_utf8"),
            ("Foo_Bar", "foo_bar"),
            ("X509KeyPair", "x509_key_pair"),
        ] {
            assert_eq!(snake_case(go), rust, "{go}");
        }
        assert_eq!(screaming_snake_case("MaxInt64"), "MAX_INT64");
        assert_eq!(screaming_snake_case("RFC3339Nano"), "RFC3339_NANO");
    }

    #[test]
    fn keywords_get_an_underscore() {
        for k in [
            "type", "match", "self", "Self", "super", "crate", "_", "unsafe", "yield", "while",
        ] {
            assert!(is_rust_keyword(k), "{k}");
            assert_eq!(rust_ident(k), format!("{k}_"));
        }
        assert_eq!(rust_fn_name("Type"), "type_");
        assert_eq!(rust_fn_name("Match"), "match_");
        assert!(!is_rust_keyword("types"));
        // the table must stay sorted for binary_search
        assert!(RUST_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn statuses_are_numbered_in_order() {
        assert_eq!(Status::Ok.value(), 0);
        assert_eq!(Status::BadArg.value(), 9);
        assert_eq!(Status::GoError.value(), 10);
        for s in Status::ALL {
            assert_eq!(Status::from_value(s.value()), Some(s));
        }
        assert_eq!(Status::from_value(11), None);
        assert_eq!(Status::from_value(-1), None);
        assert_eq!(Status::UnknownHandle.c_name(), "MOCHI_UNKNOWN_HANDLE");
        assert_eq!(Status::WouldBlock.c_name(), "MOCHI_WOULD_BLOCK");
    }

    #[test]
    fn tags() {
        assert_eq!(TAG_LINKNAME, format!("!{TAG_NO_LINKNAME}"));
    }

    #[test]
    fn symbols() {
        assert_eq!(cb_symbol("m", "keep", "call"), "mochi_m_keep_cb_call");
        assert_eq!(host_prefix("m", "f"), "mochi_m_f_host");
        assert_eq!(
            bind_symbol("m", "url", &["URL", "get", "Host"]),
            "mochi_m_url_URL_get_Host"
        );
        assert_eq!(file::rust_module("example"), "rust/example.rs");
        assert_eq!(file::cgo(file::RUNTIME), "cgo/mochi_rt.go");
    }
}
