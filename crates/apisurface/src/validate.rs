//! Validation of every value before it reaches Go source: identifiers, import paths, struct tags.
//!
//! Renderers call these before writing anything, so a hostile or malformed input (a newline, a
//! `*/`, a `//go:` directive, a quote, a NUL) becomes a typed [`ValidationError`] instead of text
//! pasted into a `.go` file.
//!
//! ```
//! use apisurface::validate::{check_identifier, check_import_path, is_exported};
//! assert!(check_identifier("Double").is_ok());
//! assert!(check_identifier("func").is_err());
//! assert!(check_import_path("gopkg.in/yaml.v3").is_ok());
//! assert!(is_exported("Thing") && !is_exported("thing"));
//! ```

/// Longest identifier accepted, in bytes (Go has no limit; generated code has no use for more).
pub const MAX_IDENTIFIER_LEN: usize = 256;
/// Longest import path accepted, in bytes.
pub const MAX_IMPORT_PATH_LEN: usize = 1024;

/// Go's 25 keywords.
pub const KEYWORDS: [&str; 25] = [
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
];

/// Predeclared type names of the universe block.
pub const PREDECLARED_TYPES: [&str; 22] = [
    "any",
    "bool",
    "byte",
    "comparable",
    "complex64",
    "complex128",
    "error",
    "float32",
    "float64",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "rune",
    "string",
    "uint",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uintptr",
];

/// The other predeclared identifiers: constants, the zero value and the builtin functions.
/// Together with [`PREDECLARED_TYPES`] they are the universe block.
pub const PREDECLARED_VALUES: [&str; 22] = [
    "true", "false", "iota", "nil", "append", "cap", "clear", "close", "complex", "copy", "delete",
    "imag", "len", "make", "max", "min", "new", "panic", "print", "println", "real", "recover",
];

/// A value that must not reach Go source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// The value is empty.
    #[error("{what} is empty")]
    Empty {
        /// What was being validated (`identifier`, `import path`, ...).
        what: &'static str,
    },
    /// The value is longer than allowed.
    #[error("{what} is {len} bytes long; at most {max} are allowed")]
    TooLong {
        /// What was being validated.
        what: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A character that is not allowed at that position.
    #[error("{what} {value:?} has {ch:?} at byte {offset}, which is not allowed: {why}")]
    BadChar {
        /// What was being validated.
        what: &'static str,
        /// The value (escaped by `Debug`).
        value: String,
        /// Byte offset of the character.
        offset: usize,
        /// The character.
        ch: char,
        /// Why it is refused.
        why: &'static str,
    },
    /// An identifier that is a Go keyword.
    #[error("{value:?} is a Go keyword and cannot be an identifier")]
    Keyword {
        /// The keyword.
        value: String,
    },
    /// An identifier that must be exported but is not.
    #[error("{value:?} is not exported (must start with an upper-case letter)")]
    NotExported {
        /// The identifier.
        value: String,
    },
    /// An import path with a malformed element.
    #[error("import path {path:?} is invalid at byte {offset}: {why}")]
    ImportPath {
        /// The path.
        path: String,
        /// Byte offset of the problem.
        offset: usize,
        /// What is wrong.
        why: &'static str,
    },
    /// A struct tag literal that is not a valid Go string literal.
    #[error("struct tag {literal:?} is not a valid Go string literal at byte {offset}: {why}")]
    Tag {
        /// The literal as given.
        literal: String,
        /// Byte offset of the problem.
        offset: usize,
        /// What is wrong.
        why: &'static str,
    },
}

/// True for a Go letter (`_` or a Unicode letter).
///
/// Go letters are Unicode categories Lu, Ll, Lt, Lm and Lo. Rust's `char::is_alphabetic` also
/// admits Nl and Other_Alphabetic marks; the numeric ones are excluded here, the combining marks
/// (category Mn/Mc with the Other_Alphabetic property) are excluded for the common blocks. The
/// result is never more permissive than Go for ASCII and errs on the strict side elsewhere.
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '_';
    }
    c.is_alphabetic() && !c.is_numeric() && !is_combining_mark(c)
}

/// True for a Go decimal digit. Only ASCII digits are accepted (Go also accepts other Unicode Nd
/// digits; generated code never needs them, and refusing is the safe side).
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06ED | 0x0711 | 0x0730..=0x074A | 0x07A6..=0x07B0
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963
        | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0A01..=0x0A03 | 0x0A3C..=0x0A51
        | 0x0A81..=0x0A83 | 0x0ABC..=0x0ACD | 0x0B01..=0x0B03 | 0x0B3C..=0x0B57
        | 0x0BBE..=0x0BCD | 0x0C00..=0x0C04 | 0x0C3E..=0x0C56 | 0x0D00..=0x0D03
        | 0x0D3E..=0x0D4D | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x0EB1
        | 0x0EB4..=0x0EBC | 0x0F71..=0x0F84 | 0x102B..=0x103E | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x2DE0..=0x2DFF | 0x302A..=0x302F
        | 0xA66F..=0xA67F | 0xFE20..=0xFE2F)
}

/// True for a Go keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// True for a predeclared identifier of the universe block (`int`, `nil`, `len`, ...).
pub fn is_predeclared(s: &str) -> bool {
    PREDECLARED_TYPES.contains(&s) || PREDECLARED_VALUES.contains(&s)
}

/// True for a predeclared type name (`int`, `error`, `any`, `comparable`, ...).
pub fn is_predeclared_type(s: &str) -> bool {
    PREDECLARED_TYPES.contains(&s)
}

/// True when `s` is a Go identifier (letter followed by letters and digits) and not a keyword.
pub fn is_identifier(s: &str) -> bool {
    check_identifier(s).is_ok()
}

/// True when `s` starts with an upper-case letter (Go's exported rule: Unicode class Lu).
pub fn is_exported(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// Checks that `s` is a Go identifier that is not a keyword.
pub fn check_identifier(s: &str) -> Result<(), ValidationError> {
    check_ident_chars("identifier", s)?;
    if is_keyword(s) {
        return Err(ValidationError::Keyword {
            value: s.to_string(),
        });
    }
    Ok(())
}

/// Checks that `s` is an exported Go identifier.
pub fn check_exported_identifier(s: &str) -> Result<(), ValidationError> {
    check_identifier(s)?;
    if !is_exported(s) {
        return Err(ValidationError::NotExported {
            value: s.to_string(),
        });
    }
    Ok(())
}

fn check_ident_chars(what: &'static str, s: &str) -> Result<(), ValidationError> {
    if s.is_empty() {
        return Err(ValidationError::Empty { what });
    }
    if s.len() > MAX_IDENTIFIER_LEN {
        return Err(ValidationError::TooLong {
            what,
            len: s.len(),
            max: MAX_IDENTIFIER_LEN,
        });
    }
    for (i, c) in s.char_indices() {
        let ok = if i == 0 {
            is_letter(c)
        } else {
            is_letter(c) || is_digit(c)
        };
        if !ok {
            return Err(ValidationError::BadChar {
                what,
                value: s.to_string(),
                offset: i,
                ch: c,
                why: if i == 0 && is_digit(c) {
                    "an identifier starts with a letter or `_`"
                } else {
                    "identifiers hold only letters, digits and `_`"
                },
            });
        }
    }
    Ok(())
}

/// Which of Go's path rules applies (`golang.org/x/mod/module`'s `checkPath` kinds).
#[derive(Clone, Copy, PartialEq, Eq)]
enum PathKind {
    Module,
    Import,
}

/// Element names Windows reserves; Go refuses them (before any dot, any case) in every path.
const WINDOWS_RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Checks an import path exactly by Go's `module.CheckImportPath` rules.
///
/// Accepted: slash-separated, non-empty elements of ASCII letters, digits and `-._~+`; no
/// leading dash, no leading or trailing slash, no double slash; no element made only of dots
/// (`.`, `..`) or ending with a dot; no element whose part before the first dot is a name Windows
/// reserves (`con`, `aux.go`, `LPT1`). Standard paths, `unsafe` and `C` are fine.
pub fn check_import_path(path: &str) -> Result<(), ValidationError> {
    check_path(path, PathKind::Import, "import path")
}

/// Checks a module path by Go's `module.CheckPath` rules: the import-path rules without `+` and
/// without leading dots in elements, and a first element (the host) of lower-case ASCII letters,
/// digits, `-` and `.` that holds a dot and does not start with `-`. A trailing `/vN` major
/// version suffix must be `v2` or above (`gopkg.in/x.vN` paths are accepted as Go accepts them).
pub fn check_module_path(path: &str) -> Result<(), ValidationError> {
    check_path(path, PathKind::Module, "module path")?;
    let bad = |offset: usize, why: &'static str| ValidationError::ImportPath {
        path: path.to_string(),
        offset,
        why,
    };
    let first = path.split('/').next().unwrap_or("");
    if !first.contains('.') {
        return Err(bad(0, "missing dot in the first path element"));
    }
    if let Some(i) = first
        .bytes()
        .position(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'))
    {
        return Err(bad(
            i,
            "the first path element holds only lower-case ASCII letters, digits, `-` and `.`",
        ));
    }
    if let Some((head, last)) = path.rsplit_once('/') {
        if let Some(digits) = last.strip_prefix('v') {
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                let bad_major = digits.starts_with('0') || digits == "1";
                if bad_major && !head.starts_with("gopkg.in/") {
                    return Err(bad(
                        head.len() + 1,
                        "a major version suffix is /v2 or above, without leading zeros",
                    ));
                }
            }
        }
    }
    Ok(())
}

fn check_path(path: &str, kind: PathKind, what: &'static str) -> Result<(), ValidationError> {
    let bad = |offset: usize, why: &'static str| ValidationError::ImportPath {
        path: path.to_string(),
        offset,
        why,
    };
    if path.is_empty() {
        return Err(ValidationError::Empty { what });
    }
    if path.len() > MAX_IMPORT_PATH_LEN {
        return Err(ValidationError::TooLong {
            what,
            len: path.len(),
            max: MAX_IMPORT_PATH_LEN,
        });
    }
    if path.starts_with('-') {
        return Err(bad(0, "leading dash"));
    }
    if let Some(i) = path.find("//") {
        return Err(bad(i, "double slash"));
    }
    if path.ends_with('/') {
        return Err(bad(path.len() - 1, "trailing slash"));
    }
    let mut start = 0;
    for elem in path.split('/') {
        check_path_elem(elem, kind).map_err(|(i, why)| bad(start + i, why))?;
        start += elem.len() + 1;
    }
    Ok(())
}

fn check_path_elem(elem: &str, kind: PathKind) -> Result<(), (usize, &'static str)> {
    if elem.is_empty() {
        return Err((0, "empty path element (leading slash)"));
    }
    if elem.bytes().all(|b| b == b'.') {
        return Err((0, "a path element made only of dots"));
    }
    if kind == PathKind::Module && elem.starts_with('.') {
        return Err((0, "leading dot in a path element"));
    }
    if elem.ends_with('.') {
        return Err((elem.len() - 1, "trailing dot in a path element"));
    }
    for (i, c) in elem.char_indices() {
        let ok = c.is_ascii_alphanumeric()
            || matches!(c, '-' | '.' | '_' | '~')
            || (c == '+' && kind == PathKind::Import);
        if !ok {
            return Err((
                i,
                match kind {
                    PathKind::Import => {
                        "only ASCII letters, digits and `-._~+` are allowed in a path element"
                    }
                    PathKind::Module => {
                        "only ASCII letters, digits and `-._~` are allowed in a module path element"
                    }
                },
            ));
        }
    }
    let short = elem.split('.').next().unwrap_or(elem);
    if WINDOWS_RESERVED
        .iter()
        .any(|r| r.eq_ignore_ascii_case(short))
    {
        return Err((
            0,
            "a name Windows reserves (CON, NUL, COM1, ...) as a path element",
        ));
    }
    Ok(())
}

/// Checks a module version as `go.mod` accepts it in a `require` line: canonical semantic
/// version `vMAJOR.MINOR.PATCH`, an optional pre-release (`-` then dot-separated identifiers of
/// ASCII letters, digits and `-`, numeric ones without leading zeros; pseudo-versions are such
/// pre-releases) and an optional `+incompatible` (the only build metadata Go allows).
pub fn check_module_version(v: &str) -> Result<(), ValidationError> {
    let bad = |offset: usize, why: &'static str| ValidationError::BadChar {
        what: "module version",
        value: v.to_string(),
        offset,
        ch: v[offset.min(v.len())..].chars().next().unwrap_or(' '),
        why,
    };
    if v.is_empty() {
        return Err(ValidationError::Empty {
            what: "module version",
        });
    }
    if v.len() > 256 {
        return Err(ValidationError::TooLong {
            what: "module version",
            len: v.len(),
            max: 256,
        });
    }
    let Some(rest) = v.strip_prefix('v') else {
        return Err(bad(0, "a module version starts with `v`"));
    };
    let (core, meta) = match rest.split_once('+') {
        Some((c, m)) => (c, Some(m)),
        None => (rest, None),
    };
    if meta.is_some_and(|m| m != "incompatible") {
        return Err(bad(
            1 + core.len(),
            "the only build metadata Go allows is `+incompatible`",
        ));
    }
    let (nums, pre) = match core.split_once('-') {
        Some((n, p)) => (n, Some(p)),
        None => (core, None),
    };
    let mut at = 1;
    let parts: Vec<&str> = nums.split('.').collect();
    if parts.len() != 3 {
        return Err(bad(at, "expected MAJOR.MINOR.PATCH"));
    }
    for part in parts {
        numeric_ident(part).map_err(|why| bad(at, why))?;
        at += part.len() + 1;
    }
    if let Some(pre) = pre {
        for ident in pre.split('.') {
            if ident.is_empty()
                || !ident
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                return Err(bad(
                    at,
                    "a pre-release identifier is ASCII letters, digits and `-`",
                ));
            }
            if ident.bytes().all(|b| b.is_ascii_digit()) {
                numeric_ident(ident).map_err(|why| bad(at, why))?;
            }
            at += ident.len() + 1;
        }
    }
    Ok(())
}

fn numeric_ident(s: &str) -> Result<(), &'static str> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        Err("expected a number")
    } else if s.len() > 1 && s.starts_with('0') {
        Err("a number without leading zeros")
    } else {
        Ok(())
    }
}

/// Checks that `literal` is a Go string literal (interpreted `"..."` or raw `` `...` ``) usable
/// as a struct tag, and returns its value.
pub fn check_struct_tag(literal: &str) -> Result<String, ValidationError> {
    let bad = |offset: usize, why: &'static str| ValidationError::Tag {
        literal: literal.to_string(),
        offset,
        why,
    };
    if let Some(body) = literal.strip_prefix('`') {
        let Some(inner) = body.strip_suffix('`') else {
            return Err(bad(literal.len(), "unterminated raw string"));
        };
        if let Some(i) = inner.find('`') {
            return Err(bad(1 + i, "backquote inside a raw string"));
        }
        if let Some(i) = inner.find('\r') {
            return Err(bad(
                1 + i,
                "carriage return in a raw string is dropped by Go",
            ));
        }
        return no_nul(inner.to_string()).map_err(|(o, why)| bad(1 + o, why));
    }
    decode_interpreted(literal)
        .and_then(no_nul)
        .map_err(|(offset, why)| bad(offset, why))
}

/// Refuses a tag value holding a NUL byte or a byte order mark: the Go compiler rejects both in
/// source, and no tag convention has a use for them.
fn no_nul(value: String) -> Result<String, (usize, &'static str)> {
    match value.find(['\0', '\u{feff}']) {
        Some(i) => Err((
            i,
            "a struct tag must not hold a NUL byte or a byte order mark",
        )),
        None => Ok(value),
    }
}

/// Checks text that will be written inside a Go or C comment (or a cgo preamble): no NUL byte and
/// no byte order mark, which the Go compiler refuses anywhere in a file.
pub fn check_comment_text(text: &str) -> Result<(), ValidationError> {
    match text
        .char_indices()
        .find(|(_, c)| *c == '\0' || *c == '\u{feff}')
    {
        Some((offset, ch)) => Err(ValidationError::BadChar {
            what: "comment text",
            value: text.to_string(),
            offset,
            ch,
            why: "Go source must not hold a NUL byte or a byte order mark",
        }),
        None => Ok(()),
    }
}

/// Checks a struct tag's value against the `reflect.StructTag` convention that `go vet` enforces:
/// space-separated `key:"value"` pairs, keys without spaces, quotes, colons or control
/// characters, values quoted Go string literals. The empty tag is fine.
pub fn check_conventional_tag(value: &str) -> Result<(), ValidationError> {
    let bad = |offset: usize, why: &'static str| ValidationError::Tag {
        literal: value.to_string(),
        offset,
        why,
    };
    let b = value.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        let key_start = i;
        while i < b.len() && b[i] > b' ' && b[i] != b':' && b[i] != b'"' && b[i] != 0x7f {
            i += 1;
        }
        if i == key_start {
            return Err(bad(i, "expected a key (`key:\"value\"` pairs)"));
        }
        if i + 1 >= b.len() || b[i] != b':' || b[i + 1] != b'"' {
            return Err(bad(
                i,
                "expected `:\"` after the key (`key:\"value\"` pairs)",
            ));
        }
        i += 1;
        let start = i;
        i += 1;
        while i < b.len() && b[i] != b'"' {
            if b[i] == b'\\' {
                i += 1;
            }
            i += 1;
        }
        if i >= b.len() {
            return Err(bad(start, "unterminated value"));
        }
        i += 1;
        decode_interpreted(&value[start..i]).map_err(|(o, why)| bad(start + o, why))?;
    }
    Ok(())
}

/// Decodes a Go interpreted string literal (`"a\\n"`, as `strconv.Quote` writes it) into its
/// value; a literal whose value is not UTF-8 is refused.
pub fn unquote(lit: &str) -> Result<String, ValidationError> {
    decode_interpreted(lit).map_err(|(offset, why)| ValidationError::Tag {
        literal: lit.to_string(),
        offset,
        why,
    })
}

/// Decodes an interpreted Go string literal (`"..."`), returning its value or the byte offset and
/// reason of the first problem. The whole input must be exactly one literal.
pub(crate) fn decode_interpreted(lit: &str) -> Result<String, (usize, &'static str)> {
    let bytes = lit.as_bytes();
    if bytes.first() != Some(&b'"') {
        return Err((0, "a string literal starts with `\"`"));
    }
    let mut out: Vec<u8> = Vec::with_capacity(lit.len());
    let mut i = 1;
    loop {
        let Some(&b) = bytes.get(i) else {
            return Err((i, "unterminated string literal"));
        };
        match b {
            b'"' => {
                if i + 1 != bytes.len() {
                    return Err((i + 1, "text after the closing quote"));
                }
                break;
            }
            b'\n' => return Err((i, "newline in string literal")),
            b'\\' => {
                let Some(&e) = bytes.get(i + 1) else {
                    return Err((i, "unterminated escape"));
                };
                let simple = match e {
                    b'a' => Some(0x07),
                    b'b' => Some(0x08),
                    b'f' => Some(0x0c),
                    b'n' => Some(b'\n'),
                    b'r' => Some(b'\r'),
                    b't' => Some(b'\t'),
                    b'v' => Some(0x0b),
                    b'\\' => Some(b'\\'),
                    b'"' => Some(b'"'),
                    _ => None,
                };
                if let Some(v) = simple {
                    out.push(v);
                    i += 2;
                    continue;
                }
                let (digits, radix, kind) = match e {
                    b'x' => (2, 16, 'x'),
                    b'u' => (4, 16, 'u'),
                    b'U' => (8, 16, 'U'),
                    b'0'..=b'7' => (3, 8, 'o'),
                    _ => return Err((i, "unknown escape sequence")),
                };
                let start = if kind == 'o' { i + 1 } else { i + 2 };
                let Some(text) = lit.get(start..start + digits) else {
                    return Err((i, "escape sequence too short"));
                };
                let Ok(v) = u32::from_str_radix(text, radix) else {
                    return Err((i, "bad digit in escape sequence"));
                };
                if !text.bytes().all(|d| (d as char).is_digit(radix)) {
                    return Err((i, "bad digit in escape sequence"));
                }
                match kind {
                    'x' => out.push(v as u8),
                    'o' => {
                        if v > 255 {
                            return Err((i, "octal escape value > 255"));
                        }
                        out.push(v as u8)
                    }
                    _ => {
                        let Some(c) = char::from_u32(v) else {
                            return Err((i, "escape is not a valid Unicode code point"));
                        };
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                }
                i = start + digits;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    // Go strings may hold arbitrary bytes (`\xff`); a tag that is not UTF-8 is refused here.
    String::from_utf8(out).map_err(|_| (0, "the tag's value is not valid UTF-8"))
}

/// Quotes `s` as an interpreted Go string literal.
///
/// Printable ASCII is kept, `"` and `\` are escaped, the usual control characters use their short
/// escapes (`\n`, `\t`, ...), other control characters use `\x..`, and non-ASCII characters are
/// written as `\u....`/`\U........` escapes so the result is pure ASCII and safe in any comment
/// or source position. Decoding the result gives `s` back.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// True for a standard-library import path: no dot in the first element (`strings`,
/// `net/url`; not `example.com/x`). Go reserves dot-free first elements for the standard library.
pub fn is_std_path(path: &str) -> bool {
    !path.split('/').next().unwrap_or("").contains('.')
}

/// True for a compiler-generated result name, `#rv1`, `#rv2`, ...: gc export data gives some
/// unnamed results these names and go/types prints them verbatim (`reflect.Value.Comparable`
/// is `func() (#rv1 bool)`). Not a Go identifier: renderers treat such a result as unnamed.
pub fn is_generated_result_name(name: &str) -> bool {
    name.strip_prefix("#rv").is_some_and(|d| {
        !d.is_empty()
            && d.bytes().all(|b| b.is_ascii_digit())
            && !(d.len() > 1 && d.starts_with('0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: [&str; 12] = [
        "",
        "a b",
        "a\nb",
        "x*/y",
        "//go:linkname",
        "a\"b",
        "a\0b",
        "1abc",
        "a-b",
        "a.b",
        "é\u{301}",
        "Ⅻ",
    ];

    #[test]
    fn identifiers() {
        for ok in ["x", "_", "Double", "p0", "αβ", "日本", "_x9", "Ǆ"] {
            assert!(check_identifier(ok).is_ok(), "{ok:?} should be accepted");
        }
        for bad in HOSTILE {
            assert!(check_identifier(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(
            check_identifier("func"),
            Err(ValidationError::Keyword {
                value: "func".into()
            })
        );
        assert!(check_identifier(&"a".repeat(MAX_IDENTIFIER_LEN)).is_ok());
        assert!(matches!(
            check_identifier(&"a".repeat(MAX_IDENTIFIER_LEN + 1)),
            Err(ValidationError::TooLong { .. })
        ));
        match check_identifier("ab\ncd") {
            Err(ValidationError::BadChar { offset, ch, .. }) => assert_eq!((offset, ch), (2, '\n')),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn exportedness() {
        assert!(is_exported("Thing") && is_exported("Ω"));
        assert!(!is_exported("thing") && !is_exported("_X") && !is_exported(""));
        assert!(check_exported_identifier("Thing").is_ok());
        assert!(matches!(
            check_exported_identifier("thing"),
            Err(ValidationError::NotExported { .. })
        ));
        assert!(is_predeclared("len") && is_predeclared_type("comparable"));
        assert!(!is_predeclared_type("len"));
    }

    #[test]
    fn import_paths() {
        for ok in [
            "unsafe",
            "C",
            "net/http",
            "gopkg.in/yaml.v3",
            "github.com/x/go-y",
            "example.com/m/v2/pkg",
            "a~b/c+d",
        ] {
            assert!(check_import_path(ok).is_ok(), "{ok:?}");
        }
        for (bad, at) in [
            ("/abs", 0),
            ("a//b", 1),
            ("a/", 1),
            ("a/../b", 2),
            ("a/./b", 2),
            ("-flag", 0),
            ("x/-y/..", 5),
            ("con", 0),
            ("x/AUX.go", 2),
            ("a/..", 2),
            ("a/b./c", 3),
            ("a b", 1),
            ("a\"b", 1),
            ("a\\b", 1),
            ("a\nb", 1),
            ("a\0b", 1),
            ("a/*/b", 2),
            ("é", 0),
        ] {
            match check_import_path(bad) {
                Err(ValidationError::ImportPath { offset, .. }) => {
                    assert_eq!(offset, at, "{bad:?}")
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        assert!(matches!(
            check_import_path(""),
            Err(ValidationError::Empty { .. })
        ));
        assert!(matches!(
            check_import_path(&"a".repeat(MAX_IMPORT_PATH_LEN + 1)),
            Err(ValidationError::TooLong { .. })
        ));
    }

    #[test]
    fn struct_tags() {
        assert_eq!(check_struct_tag(r#""json:\"a\"""#).unwrap(), "json:\"a\"");
        assert_eq!(check_struct_tag("`json:\"a\"`").unwrap(), "json:\"a\"");
        assert_eq!(check_struct_tag(r#""\u00e9\x41\101\n""#).unwrap(), "éAA\n");
        for (bad, at) in [
            ("json", 0),
            ("\"abc", 4),
            ("\"a\"b\"", 3),
            ("\"a\nb\"", 2),
            ("\"\\q\"", 1),
            ("\"\\x4\"", 1),
            ("\"\\400\"", 1),
            ("\"\\xff\"", 0),
            ("`a`b`", 2),
            ("`ab", 3),
        ] {
            match check_struct_tag(bad) {
                Err(ValidationError::Tag { offset, .. }) => assert_eq!(offset, at, "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn conventional_tags() {
        for ok in [
            "",
            "json:\"a\"",
            "json:\"a,omitempty\" xml:\"b\"",
            "k:\"\\\"q\\\"\"",
        ] {
            assert!(check_conventional_tag(ok).is_ok(), "{ok:?}");
        }
        for (bad, at) in [
            ("tag", 3),
            ("é 日本", 2),
            ("json:a", 4),
            ("json:\"a", 5),
            (":\"a\"", 0),
        ] {
            match check_conventional_tag(bad) {
                Err(ValidationError::Tag { offset, .. }) => assert_eq!(offset, at, "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn quote_round_trips_and_is_ascii() {
        for s in [
            "",
            "plain",
            "json:\"a\"",
            "a\\b",
            "x*/y\n//go:linkname",
            "\0\x7f",
            "é日𝄞",
        ] {
            let q = quote(s);
            assert!(q.is_ascii(), "{q}");
            assert!(!q.contains('\n'));
            assert_eq!(decode_interpreted(&q).unwrap(), s, "{q}");
        }
        assert_eq!(quote("a\"b"), r#""a\"b""#);
    }

    #[test]
    fn module_paths_follow_check_path() {
        for ok in [
            "example.com/m",
            "golang.org/x/sync",
            "gopkg.in/yaml.v3",
            "github.com/a/b/v2",
            "gobridge.local/example",
        ] {
            assert!(check_module_path(ok).is_ok(), "{ok:?}");
        }
        for bad in [
            "example",
            "Example.com/m",
            "-x.com/m",
            "x.com/.hidden",
            "x.com/a+b",
            "x.com/m/v1",
            "x.com/m/v01",
            "x.com/m\n\nreplace a => b",
            "x.com/m v1.0.0",
        ] {
            assert!(check_module_path(bad).is_err(), "{bad:?}");
        }
        // import paths allow what module paths do not
        assert!(check_import_path("x.com/.hidden").is_ok());
        assert!(check_import_path("x.com/a+b").is_ok());
    }

    #[test]
    fn tags_and_comments_refuse_nul_and_bom() {
        assert!(check_struct_tag("\"a\\x00b\"").is_err());
        assert!(check_struct_tag("\"a\\u0000\"").is_err());
        assert!(check_struct_tag("`a\u{feff}`").is_err());
        assert!(check_struct_tag("\"a\\ufeff\"").is_err());
        assert_eq!(
            check_struct_tag("\"json:\\\"a\\\"\"").unwrap(),
            "json:\"a\""
        );
        assert!(check_comment_text("plain // text */").is_ok());
        assert!(matches!(
            check_comment_text("a\0"),
            Err(ValidationError::BadChar { offset: 1, .. })
        ));
        assert!(check_comment_text("\u{feff}x").is_err());
    }

    #[test]
    fn module_versions() {
        for ok in [
            "v0.0.0",
            "v1.2.3",
            "v1.2.3-rc.1",
            "v0.0.0-20240101000000-abcdef123456",
            "v2.0.0+incompatible",
            "v1.0.0-pre.0.20191109021931-daa7c04131f5",
        ] {
            assert!(check_module_version(ok).is_ok(), "{ok:?}");
        }
        for bad in [
            "",
            "1.2.3",
            "v1.2",
            "v1.02.3",
            "v1.2.3+build",
            "v1.2.3-",
            "v1.2.3-a..b",
            "v1.0.0\n\nreplace golang.org/x/sys => /some/dir",
            "v1.0.0 // x",
            "v1.2.3-01",
        ] {
            assert!(check_module_version(bad).is_err(), "{bad:?}");
        }
    }
}
