//! Parser for go/types type strings (`types.TypeString` with the full import path as qualifier).
//!
//! The grammar is the printed form, not Go source syntax, and the parser is strict about it:
//! only the spacing go/types itself writes is accepted, so that every accepted string prints
//! back byte for byte through `Display`. The rules it relies on (as printed by Go 1.26):
//!
//! * names: predeclared (`int`), local (`Thing`, `T`), or a *qualified token* `path.Name` whose
//!   path may contain `/`, `.`, `-`, `~`, `+` (`gopkg.in/yaml.v3.Node`); the name is the
//!   identifier after the token's last `.`. Instances: `iter.Seq2[int, E]` (`, ` separated).
//! * `untyped int|float|rune|string|bool|nil|complex`;
//! * `*T`, `[]T`, `[N]T` (canonical decimal `N`), `map[K]V`;
//! * `chan T`, `chan<- T`, `<-chan T`; a send-receive channel whose element is a receive-only
//!   channel is parenthesised (`chan (<-chan int)`) and only then;
//! * `func[P C, Q, R D](a int, b ...string) (n int, err error)`: type-parameter names of a group
//!   and the groups themselves are separated by `, `, the group's constraint follows its last name
//!   after one space; parameter names are never grouped; zero results print nothing, one unnamed
//!   result prints without parentheses, anything else in parentheses;
//! * `struct{A int "json:\"a\""; io.Reader; *T}`: fields joined by `; `, an embedded field is its
//!   type alone, a tag is an interpreted string literal as `strconv.Quote` writes it. Raw
//!   (backquoted) tags never appear in go/types output and are refused;
//! * `interface{String() string; io.Reader; ~int | ~string}`: elements joined by `; ` in any
//!   order (kept as printed);
//! * unions `~int | ~string` at the top level, as an interface element or as a constraint;
//! * `...T` at the top level or as the last parameter;
//! * compiler-generated parameter names `#rv1`, `#rv2`, ... that gc export data gives some
//!   unnamed results (kept verbatim as the name).
//!
//! Nesting is bounded by [`MAX_DEPTH`] (depth-counted recursion), input length by
//! [`MAX_INPUT_LEN`]; both give a [`ParseError`], never a stack overflow or a panic.
//!
//! This is the only parser. It writes the flat node list of a [`crate::TypeTree`] (no per-node
//! allocation, nothing copied out of the input); [`parse_type`] builds the owned [`GoType`] from
//! that list.

use crate::ast::{ChanDir, GoType, UntypedKind};
use crate::tree::{Raw, build_go_type, chan_flag, raw};
use crate::validate::{check_import_path, is_digit, is_letter};

/// Longest input [`parse_type`] accepts, in bytes.
pub const MAX_INPUT_LEN: usize = 1 << 20;
/// Deepest nesting [`parse_type`] accepts (each composite type or signature is one level).
pub const MAX_DEPTH: usize = 128;

/// Longest excerpt of the input quoted in [`ParseError::found`], in bytes (before escaping).
const EXCERPT_LEN: usize = 24;

/// A type string that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at byte {offset}: expected {expected}, found {found}")]
pub struct ParseError {
    /// Byte offset into the input where parsing failed.
    pub offset: usize,
    /// What the parser expected there.
    pub expected: String,
    /// What it found (a short excerpt, or `end of input`).
    pub found: String,
}

/// Parses a go/types type string.
///
/// Accepts exactly the canonical form go/types prints (see the module documentation); for every
/// accepted string `parse_type(s)?.to_string() == s`.
///
/// ```
/// use apisurface::{parse_type, GoType};
/// let t = parse_type("func(ctx context.Context) (n int, err error)").unwrap();
/// assert!(matches!(t, GoType::Func(_)));
/// let e = parse_type("chan (chan int)").unwrap_err();
/// assert_eq!(e.offset, 5);
/// ```
pub fn parse_type(input: &str) -> Result<GoType, ParseError> {
    let mut nodes = Vec::new();
    parse_into(input, &mut nodes)?;
    Ok(build_go_type(input, &nodes))
}

/// Parses `input` into the flat node list of a [`crate::TypeTree`] (`nodes` is cleared first).
pub(crate) fn parse_into(input: &str, nodes: &mut Vec<Raw>) -> Result<(), ParseError> {
    nodes.clear();
    if input.len() > MAX_INPUT_LEN {
        return Err(ParseError {
            offset: MAX_INPUT_LEN,
            expected: format!("at most {MAX_INPUT_LEN} bytes of input"),
            found: format!("{} bytes", input.len()),
        });
    }
    // About one node per three bytes covers typical signatures without regrowing.
    nodes.reserve((input.len() / 3 + 4).min(4096));
    let mut p = Parser {
        src: input,
        b: input.as_bytes(),
        pos: 0,
        depth: 0,
        nodes,
    };
    if p.starts_with(b"...") {
        let v = p.open(raw::VARIADIC, 0, 0);
        p.pos += 3;
        p.ty()?;
        p.close(v);
    } else {
        p.union_or_type()?;
    }
    if p.pos != p.b.len() {
        return Err(p.err(p.pos, "end of input"));
    }
    Ok(())
}

/// A qualified token's shape (offsets relative to its start).
#[derive(Clone, Copy)]
struct Token {
    len: usize,
    last_dot: Option<usize>,
    last_path: Option<usize>,
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    depth: usize,
    nodes: &'a mut Vec<Raw>,
}

type R<T> = Result<T, ParseError>;

/// Byte classes for the scanners (one table lookup per byte on the hot path).
const LETTER: u8 = 1; // ASCII letter or `_`
const DIGIT: u8 = 2; // ASCII digit
const PATH: u8 = 4; // `.` `/` `-` `~` `+`: only inside a qualified token's import path
const HIGH: u8 = 8; // first or continuation byte of a non-ASCII character

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c.is_ascii_alphabetic() || c == b'_' {
            LETTER
        } else if c.is_ascii_digit() {
            DIGIT
        } else if matches!(c, b'.' | b'/' | b'-' | b'~' | b'+') {
            PATH
        } else if c >= 0x80 {
            HIGH
        } else {
            0
        };
        i += 1;
    }
    t
};

/// What a word (a token without path characters) means to the parser; [`word_kind`] answers.
type Kind = u8;
/// Not a keyword: a name.
const K_NAME: Kind = 0;
/// A keyword that cannot start a type (`break`, `var`, ...).
const K_KEYWORD: Kind = 1;
const K_MAP: Kind = 2;
const K_CHAN: Kind = 3;
const K_FUNC: Kind = 4;
const K_STRUCT: Kind = 5;
const K_INTERFACE: Kind = 6;
/// `untyped`: not a keyword, but `untyped int` etc. are types.
const K_UNTYPED: Kind = 7;

/// The Go keywords (`keywords_agree_with_validate` keeps this in step with
/// `validate::KEYWORDS`) and `untyped`, with their [`Kind`].
const WORDS: [(&str, Kind); 26] = [
    ("break", K_KEYWORD),
    ("case", K_KEYWORD),
    ("chan", K_CHAN),
    ("const", K_KEYWORD),
    ("continue", K_KEYWORD),
    ("default", K_KEYWORD),
    ("defer", K_KEYWORD),
    ("else", K_KEYWORD),
    ("fallthrough", K_KEYWORD),
    ("for", K_KEYWORD),
    ("func", K_FUNC),
    ("go", K_KEYWORD),
    ("goto", K_KEYWORD),
    ("if", K_KEYWORD),
    ("import", K_KEYWORD),
    ("interface", K_INTERFACE),
    ("map", K_MAP),
    ("package", K_KEYWORD),
    ("range", K_KEYWORD),
    ("return", K_KEYWORD),
    ("select", K_KEYWORD),
    ("struct", K_STRUCT),
    ("switch", K_KEYWORD),
    ("type", K_KEYWORD),
    ("var", K_KEYWORD),
    ("untyped", K_UNTYPED),
];

/// Multiplier of the perfect hash over [`WORDS`] (found by search; building [`WORD_TABLE`] fails
/// to compile if two words ever share a slot).
const WORD_MUL: u32 = 0x5143_1193;

/// The slot of a word of at least two bytes: a multiplicative hash of its first, second and last
/// bytes and its length.
#[inline]
const fn word_slot(b: &[u8]) -> usize {
    let n = b.len();
    let key = b[0] as u32 | (b[1] as u32) << 8 | (b[n - 1] as u32) << 16 | (n as u32) << 24;
    (key.wrapping_mul(WORD_MUL) >> 26) as usize
}

/// [`WORDS`] by [`word_slot`]; empty slots hold `""`.
struct WordTable {
    words: [&'static [u8]; 64],
    kinds: [Kind; 64],
}

static WORD_TABLE: WordTable = {
    let mut t = WordTable {
        words: [b""; 64],
        kinds: [K_NAME; 64],
    };
    let mut i = 0;
    while i < WORDS.len() {
        let (w, k) = WORDS[i];
        let slot = word_slot(w.as_bytes());
        assert!(t.words[slot].is_empty(), "WORD_MUL: two words share a slot");
        t.words[slot] = w.as_bytes();
        t.kinds[slot] = k;
        i += 1;
    }
    t
};

/// The [`Kind`] of a word. One hash, one table load and one comparison: no `match` on the
/// word, whose jump table the branch predictor cannot learn on varied input.
#[inline]
fn word_kind(b: &[u8]) -> Kind {
    if b.len() < 2 {
        return K_NAME;
    }
    let slot = word_slot(b);
    if WORD_TABLE.words[slot] == b {
        WORD_TABLE.kinds[slot]
    } else {
        K_NAME
    }
}

/// True for a Go keyword.
#[inline]
fn is_kw(s: &str) -> bool {
    let k = word_kind(s.as_bytes());
    k != K_NAME && k != K_UNTYPED
}

/// How many of the bytes of `w`, lowest first, are ASCII letters, digits or `_` before the first
/// one that is not (8 when all are). Byte-parallel range checks on the low seven bits, which
/// cannot carry into the next byte.
#[inline]
fn ident_bytes(w: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let x = w & !HIGH_BITS;
    // High bit of each byte set where the byte's low seven bits are `>= lo` / `<= hi`.
    let ge = |v: u64, lo: u64| (v + (0x80 - lo) * ONES) & HIGH_BITS;
    let le = |v: u64, hi: u64| !(v + (0x7f - hi) * ONES) & HIGH_BITS;
    let folded = x | (0x20 * ONES); // ASCII letters to lower case
    let letter = ge(folded, b'a' as u64) & le(folded, b'z' as u64);
    let digit = ge(x, b'0' as u64) & le(x, b'9' as u64);
    let under = ge(x, b'_' as u64) & le(x, b'_' as u64);
    let ok = (letter | digit | under) & !w & HIGH_BITS;
    let stop = !ok & HIGH_BITS;
    (stop.trailing_zeros() / 8) as usize
}

/// Fast check of an import path as [`check_import_path`] would accept it (ASCII only; elements
/// non-empty, not starting or ending with `.`, no leading `-`, no Windows-reserved element). It
/// may refuse paths the full check accepts (a leading dot in an element): anything it refuses
/// goes to the full check, which decides and gives the precise message.
fn path_looks_valid(path: &[u8]) -> bool {
    if path.is_empty() || path.len() > crate::validate::MAX_IMPORT_PATH_LEN || path[0] == b'-' {
        return false;
    }
    let mut prev = b'/';
    // Start of the current element's part before its first dot, while still in it.
    let mut short_start = Some(0);
    for (i, &c) in path.iter().enumerate() {
        let cls = CLASS[c as usize];
        if cls & (LETTER | DIGIT | PATH) == 0 {
            return false;
        }
        match c {
            b'/' if prev == b'/' || prev == b'.' => return false,
            b'.' if prev == b'/' => return false,
            _ => {}
        }
        if matches!(c, b'/' | b'.') {
            if let Some(s) = short_start.take() {
                if windows_reserved(&path[s..i]) {
                    return false;
                }
            }
            if c == b'/' {
                short_start = Some(i + 1);
            }
        }
        prev = c;
    }
    if let Some(s) = short_start {
        if windows_reserved(&path[s..]) {
            return false;
        }
    }
    !matches!(prev, b'/' | b'.')
}

/// True when `short` (an element's part before its first dot) may be a Windows-reserved name;
/// only 3- and 4-byte parts can be, so most elements cost one length test.
#[inline]
fn windows_reserved(short: &[u8]) -> bool {
    (short.len() == 3 || short.len() == 4)
        && std::str::from_utf8(short).is_ok_and(|s| crate::validate::check_import_path(s).is_err())
}

impl<'a> Parser<'a> {
    #[cold]
    #[inline(never)]
    fn err(&self, offset: usize, expected: impl Into<String>) -> ParseError {
        ParseError {
            offset,
            expected: expected.into(),
            found: excerpt(self.src, offset),
        }
    }

    /// Starts a node of `kind` whose text begins at `start`; [`Parser::close`] finishes it.
    #[inline]
    fn open(&mut self, kind: u8, flag: u8, start: usize) -> usize {
        let i = self.nodes.len();
        self.nodes.push(Raw {
            kind,
            flag,
            aux: 0,
            start: start as u32,
            end: 0,
            size: 0,
        });
        i
    }

    /// Ends node `i` at the cursor: everything pushed since it opened is its subtree.
    #[inline]
    fn close(&mut self, i: usize) {
        let size = (self.nodes.len() - i) as u32;
        let end = self.pos as u32;
        let r = &mut self.nodes[i];
        r.end = end;
        r.size = size;
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    #[inline]
    fn peek_at(&self, i: usize) -> Option<u8> {
        self.b.get(self.pos + i).copied()
    }

    #[inline]
    fn starts_with(&self, s: &[u8]) -> bool {
        self.b[self.pos..].starts_with(s)
    }

    #[inline]
    fn eat(&mut self, s: &[u8]) -> bool {
        if self.starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    #[inline]
    fn expect(&mut self, s: &str, what: &str) -> R<()> {
        if self.eat(s.as_bytes()) {
            Ok(())
        } else {
            Err(self.err(self.pos, what))
        }
    }

    /// Length in bytes of the plain identifier (letters and digits, first a letter) at `at`,
    /// or 0.
    #[inline]
    fn ident_len_at(&self, at: usize) -> usize {
        // ASCII fast path; the first non-ASCII byte hands over to the general scan from `at`.
        let rest = self.b.get(at..).unwrap_or(&[]);
        match rest.first() {
            Some(&c) if CLASS[c as usize] & LETTER != 0 => {}
            Some(&c) if CLASS[c as usize] & HIGH != 0 => return self.ident_len_general(at),
            _ => return 0,
        }
        let end = self.ascii_run(at + 1);
        if self.b.get(end).is_some_and(|&c| c >= 0x80) {
            return self.ident_len_general(at);
        }
        end - at
    }

    /// The end of the run of ASCII letters, digits and `_` starting at `i` (`i` itself when
    /// there is none), found eight bytes at a time: the loop runs once for most names, so its
    /// exit is predictable, unlike a byte loop's.
    #[inline]
    fn ascii_run(&self, mut i: usize) -> usize {
        let len = self.b.len();
        if len < 8 {
            while self
                .b
                .get(i)
                .is_some_and(|&c| CLASS[c as usize] & (LETTER | DIGIT) != 0)
            {
                i += 1;
            }
            return i;
        }
        while i < len {
            // The 8 bytes at `i`, zero-filled past the end (zero is not an identifier byte).
            let j = i.min(len - 8);
            let mut chunk = [0u8; 8];
            chunk.copy_from_slice(&self.b[j..j + 8]);
            let w = u64::from_le_bytes(chunk) >> (8 * (i - j));
            let n = ident_bytes(w);
            i += n;
            if n < 8 {
                break;
            }
        }
        i.min(len)
    }

    /// [`Parser::ident_len_at`] for identifiers that may contain non-ASCII letters and digits.
    #[inline(never)]
    fn ident_len_general(&self, at: usize) -> usize {
        let mut i = at;
        while let Some(&c) = self.b.get(i) {
            let cls = CLASS[c as usize];
            if cls & LETTER != 0 || (cls & DIGIT != 0 && i > at) {
                i += 1;
            } else if cls & HIGH != 0 {
                let Some(ch) = self.src.get(i..).and_then(|r| r.chars().next()) else {
                    break;
                };
                if !(is_letter(ch) || (i > at && is_digit(ch))) {
                    break;
                }
                i += ch.len_utf8();
            } else {
                break;
            }
        }
        i - at
    }

    /// The qualified token (identifier and path characters) at the cursor.
    fn token(&self) -> Token {
        let start = self.pos;
        // Letters and digits need no bookkeeping: skip them in bulk, then go byte by byte only
        // for path characters and non-ASCII.
        let mut i = self.ascii_run(start);
        let mut last_dot = None;
        let mut last_path = None;
        while let Some(&c) = self.b.get(i) {
            let cls = CLASS[c as usize];
            if cls & PATH != 0 {
                last_path = Some(i - start);
                if c == b'.' {
                    last_dot = Some(i - start);
                }
                // The next path element or name, in bulk.
                i = self.ascii_run(i + 1);
            } else if cls & (LETTER | DIGIT) != 0 {
                i += 1;
            } else if cls & HIGH != 0 {
                let Some(ch) = self.src.get(i..).and_then(|r| r.chars().next()) else {
                    break;
                };
                if !(is_letter(ch) || is_digit(ch)) {
                    break;
                }
                i += ch.len_utf8();
            } else {
                break;
            }
        }
        Token {
            len: i - start,
            last_dot,
            last_path,
        }
    }

    /// A plain identifier at the cursor that is not a keyword; consumed.
    fn ident(&mut self, what: &str) -> R<()> {
        let n = self.ident_len_at(self.pos);
        self.ident_of_len(n, what)
    }

    /// Like [`Parser::ident`] when the identifier's length `n` is already known.
    fn ident_of_len(&mut self, n: usize, what: &str) -> R<()> {
        if n == 0 {
            return Err(self.err(self.pos, what));
        }
        let s = &self.src[self.pos..self.pos + n];
        if is_kw(s) {
            return Err(self.err(self.pos, format!("{what} (not the keyword `{s}`)")));
        }
        self.pos += n;
        Ok(())
    }

    /// A type, possibly a union of terms (`~int | ~string`): allowed at the top level, as an
    /// interface element and as a constraint.
    fn union_or_type(&mut self) -> R<()> {
        let start = self.pos;
        let u = if self.peek() != Some(b'~') {
            // The common case: one plain type, no union.
            let first = self.nodes.len();
            self.ty()?;
            if !self.starts_with(b" | ") {
                return Ok(());
            }
            // A union after all: put the union and the first term's node above the type.
            let size = (self.nodes.len() - first) as u32;
            let wrap = |kind, size| Raw {
                kind,
                flag: 0,
                aux: 0,
                start: start as u32,
                end: self.pos as u32,
                size,
            };
            let (union, term) = (wrap(raw::UNION, 0), wrap(raw::TERM, size + 1));
            self.nodes.splice(first..first, [union, term]);
            first
        } else {
            let u = self.open(raw::UNION, 0, start);
            self.term()?;
            u
        };
        while self.eat(b" | ") {
            self.term()?;
        }
        self.close(u);
        Ok(())
    }

    fn term(&mut self) -> R<()> {
        let start = self.pos;
        let tilde = self.eat(b"~");
        let t = self.open(raw::TERM, tilde as u8, start);
        self.ty()?;
        self.close(t);
        Ok(())
    }

    /// One type (no union, no `...`); the only recursive entry point, so depth is counted here.
    fn ty(&mut self) -> R<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self.err(
                self.pos,
                format!("at most {MAX_DEPTH} levels of nested types"),
            ));
        }
        self.depth += 1;
        let r = self.ty_inner();
        self.depth -= 1;
        r
    }

    /// A node of `kind` around one type that follows the cursor after `skip` bytes.
    #[inline]
    fn wrap_one(&mut self, kind: u8, flag: u8, start: usize, skip: usize) -> R<()> {
        let i = self.open(kind, flag, start);
        self.pos += skip;
        self.ty()?;
        self.close(i);
        Ok(())
    }

    fn ty_inner(&mut self) -> R<()> {
        let start = self.pos;
        match self.peek() {
            Some(b'*') => self.wrap_one(raw::POINTER, 0, start, 1),
            Some(b'[') => {
                self.pos += 1;
                if self.eat(b"]") {
                    return self.wrap_one(raw::SLICE, 0, start, 0);
                }
                self.array_len()?;
                self.expect("]", "`]` after the array length")?;
                self.wrap_one(raw::ARRAY, 0, start, 0)
            }
            Some(b'<') => {
                self.expect("<-chan ", "`<-chan ` (a receive-only channel)")?;
                self.wrap_one(raw::CHAN, chan_flag(ChanDir::Recv), start, 0)
            }
            Some(_) => {
                let tk = self.token();
                let n = tk.len;
                if n == 0 {
                    return Err(self.err(start, "a type"));
                }
                let mut kind = K_NAME;
                if tk.last_path.is_none() {
                    kind = word_kind(&self.b[start..start + n]);
                    if kind > K_KEYWORD {
                        if kind == K_FUNC {
                            let f = self.open(raw::FUNC, 0, start);
                            self.pos += n;
                            self.signature(true)?;
                            self.close(f);
                            return Ok(());
                        } else if kind == K_MAP {
                            return self.map();
                        } else if kind == K_CHAN {
                            return self.chan();
                        } else if kind == K_STRUCT {
                            return self.structure();
                        } else if kind == K_INTERFACE {
                            return self.interface();
                        } else if let Some(k) = self.untyped_kind(start + n) {
                            let u = self.open(raw::UNTYPED, k as u8, start);
                            self.pos = start + n + 1 + k.as_str().len();
                            self.close(u);
                            return Ok(());
                        }
                    }
                }
                self.named(start, tk, kind)
            }
            None => Err(self.err(start, "a type")),
        }
    }

    /// `untyped` at `..after` followed by ` kind` and a delimiter.
    fn untyped_kind(&self, after: usize) -> Option<UntypedKind> {
        if self.b.get(after) != Some(&b' ') {
            return None;
        }
        let n = self.ident_len_at(after + 1);
        let word = &self.src[after + 1..after + 1 + n];
        UntypedKind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    fn array_len(&mut self) -> R<u64> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = &self.src[start..self.pos];
        if digits.is_empty() {
            return Err(self.err(start, "`]` or a decimal array length"));
        }
        if digits.len() > 1 && digits.starts_with('0') {
            return Err(self.err(start, "a canonical decimal array length (no leading zeros)"));
        }
        digits
            .parse::<u64>()
            .map_err(|_| self.err(start, "an array length that fits in 64 bits"))
    }

    fn map(&mut self) -> R<()> {
        let m = self.open(raw::MAP, 0, self.pos);
        self.pos += 3;
        self.expect("[", "`[` after `map`")?;
        self.ty()?;
        self.expect("]", "`]` after the map key type")?;
        self.ty()?;
        self.close(m);
        Ok(())
    }

    fn chan(&mut self) -> R<()> {
        let start = self.pos;
        self.pos += 4;
        if self.eat(b"<- ") {
            return self.wrap_one(raw::CHAN, chan_flag(ChanDir::Send), start, 0);
        }
        self.expect(" ", "` ` or `<- ` after `chan`")?;
        let at = self.pos;
        if self.eat(b"(") {
            if !self.starts_with(b"<-chan ") {
                return Err(self.err(
                    at,
                    "a parenthesised element only when it is a receive-only channel `(<-chan T)`",
                ));
            }
            let c = self.open(raw::CHAN, chan_flag(ChanDir::Both), start);
            self.ty()?;
            self.expect(")", "`)` after the parenthesised channel element")?;
            self.close(c);
            return Ok(());
        }
        if self.starts_with(b"<-") {
            return Err(self.err(
                at,
                "`(` (go/types parenthesises a receive-only channel element of `chan`)",
            ));
        }
        self.wrap_one(raw::CHAN, chan_flag(ChanDir::Both), start, 0)
    }

    /// A (possibly qualified, possibly instantiated) name whose token `tk` starts at `start`;
    /// `kind` is the token's [`word_kind`] when it has no path characters.
    fn named(&mut self, start: usize, tk: Token, kind: Kind) -> R<()> {
        let n = tk.len;
        let tok = &self.src[start..start + n];
        let (qualified, name, name_at) = match tk.last_dot {
            Some(dot) => {
                let path = &tok[..dot];
                if !path_looks_valid(path.as_bytes()) && check_import_path(path).is_err() {
                    let e = check_import_path(path).err();
                    let off = match &e {
                        Some(crate::validate::ValidationError::ImportPath { offset, .. }) => {
                            *offset
                        }
                        _ => 0,
                    };
                    let why = e.map_or_else(|| "an import path".to_string(), |e| e.to_string());
                    return Err(self.err(start + off, format!("an import path ({why})")));
                }
                (true, &tok[dot + 1..], start + dot + 1)
            }
            None => (false, tok, start),
        };
        // After the last `.` (or in a token without path characters) there are only letters and
        // digits, so the name is an identifier unless it is empty or starts with a digit.
        let plain = tk.last_path == tk.last_dot;
        let starts_ok = self
            .b
            .get(name_at)
            .is_some_and(|&c| CLASS[c as usize] & (LETTER | HIGH) != 0);
        let id = if plain && starts_ok && self.b[name_at] < 0x80 {
            start + n - name_at
        } else {
            self.ident_len_at(name_at)
        };
        if id == 0 || name_at + id != start + n {
            let bad = if id == 0 { name_at } else { name_at + id };
            let what = if qualified {
                "an identifier after the package path's last `.`"
            } else {
                "a type name"
            };
            return Err(self.err(bad, what));
        }
        // An unqualified name that got this far is the whole token, whose kind is known.
        let keyword = if qualified {
            is_kw(name)
        } else {
            kind == K_KEYWORD
        };
        if keyword {
            return Err(self.err(name_at, format!("a type name (not the keyword `{name}`)")));
        }
        self.pos = start + n;
        let i = self.open(raw::NAMED, 0, start);
        // The path is at most MAX_IMPORT_PATH_LEN bytes, so the name's offset fits.
        self.nodes[i].aux = (name_at - start) as u16;
        if self.eat(b"[") {
            loop {
                self.ty()?;
                if self.eat(b"]") {
                    break;
                }
                self.expect(", ", "`, ` or `]` in a type argument list")?;
            }
        }
        self.close(i);
        Ok(())
    }

    /// After `func` (or a method name): `[tparams](params) results`.
    /// Pushes the signature's nodes (type-parameter groups, parameters, results) as children
    /// of the enclosing `FUNC` or `METHOD` node.
    fn signature(&mut self, allow_type_params: bool) -> R<()> {
        if allow_type_params && self.eat(b"[") {
            self.type_params()?;
        }
        self.expect("(", "`(` opening the parameter list")?;
        self.params(true)?;
        // Results follow after one space unless what follows the space belongs to the enclosing
        // construct (a struct tag or the next union term).
        if self.peek() == Some(b' ') && !matches!(self.peek_at(1), Some(b'"' | b'|')) {
            self.pos += 1;
            let at = self.pos;
            if self.eat(b"(") {
                let first = self.nodes.len();
                let count = self.params(false)?;
                if count == 0 {
                    return Err(self.err(at, "a result list (no results print nothing)"));
                }
                // A result is named when its type starts after its own start.
                if count == 1 && self.nodes[first + 1].start == self.nodes[first].start {
                    return Err(self.err(at, "a single unnamed result without parentheses"));
                }
            } else {
                let r = self.open(raw::RESULT, 0, at);
                self.ty()?;
                self.close(r);
            }
        }
        Ok(())
    }

    /// After `[`: `P C, Q, R D]`.
    fn type_params(&mut self) -> R<()> {
        let mut group = self.open(raw::TYPE_PARAMS, 0, self.pos);
        loop {
            self.ident("a type parameter name")?;
            if self.eat(b", ") {
                continue;
            }
            self.expect(
                " ",
                "`, ` or ` ` and a constraint after a type parameter name",
            )?;
            self.union_or_type()?;
            self.close(group);
            if self.eat(b"]") {
                return Ok(());
            }
            self.expect(", ", "`, ` or `]` after a type parameter constraint")?;
            group = self.open(raw::TYPE_PARAMS, 0, self.pos);
        }
    }

    /// After `(`: parameters (results when not `allow_variadic`) up to and including `)`, as
    /// `PARAM` (`RESULT`) nodes; returns how many.
    fn params(&mut self, allow_variadic: bool) -> R<usize> {
        if self.eat(b")") {
            return Ok(0);
        }
        let kind = if allow_variadic {
            raw::PARAM
        } else {
            raw::RESULT
        };
        let mut count = 0;
        loop {
            count += 1;
            let start = self.pos;
            let p = self.open(kind, 0, start);
            let n = self.ident_len_at(self.pos);
            if n > 0
                && self.b.get(self.pos + n) == Some(&b' ')
                && &self.src[self.pos..self.pos + n] != "chan"
            {
                self.ident_of_len(n, "a parameter name")?;
                self.pos += 1;
            } else if let Some(n) = self.generated_name_len() {
                self.pos += n + 1;
            }
            let at = self.pos;
            if self.eat(b"...") {
                if !allow_variadic {
                    return Err(self.err(at, "a result type (results are never variadic)"));
                }
                let v = self.open(raw::VARIADIC, 0, at);
                self.ty()?;
                self.close(v);
                self.close(p);
                return self
                    .expect(")", "`)` after the variadic parameter (it must be last)")
                    .map(|()| count);
            }
            self.ty()?;
            self.close(p);
            if self.eat(b")") {
                return Ok(count);
            }
            self.expect(", ", "`, ` or `)` in a parameter list")?;
        }
    }

    /// Length of a compiler-generated parameter name followed by a space at the cursor.
    ///
    /// The gc export data names some unnamed results `#rv1`, `#rv2`, ... and go/types prints
    /// them as they are (`reflect.Value.Comparable` is `func() (#rv1 bool)`). They are kept
    /// verbatim as the parameter's name; they are not Go identifiers, so renderers must treat
    /// them as unnamed.
    fn generated_name_len(&self) -> Option<usize> {
        let rest = &self.b[self.pos..];
        let digits = rest.strip_prefix(b"#rv")?;
        let n = digits.iter().take_while(|c| c.is_ascii_digit()).count();
        let canonical = n > 0 && !(n > 1 && digits[0] == b'0');
        (canonical && digits.get(n) == Some(&b' ')).then_some(3 + n)
    }

    /// `struct{...}`
    fn structure(&mut self) -> R<()> {
        let s = self.open(raw::STRUCT, 0, self.pos);
        self.pos += 6;
        self.expect("{", "`{` after `struct`")?;
        if self.eat(b"}") {
            self.close(s);
            return Ok(());
        }
        loop {
            let start = self.pos;
            let f = self.open(raw::FIELD, 0, start);
            let n = self.ident_len_at(self.pos);
            let named = n > 0
                && self.b.get(self.pos + n) == Some(&b' ')
                && self.b.get(self.pos + n + 1) != Some(&b'"');
            if named {
                self.ident_of_len(n, "a field name")?;
                self.pos += 1;
                self.ty()?;
            } else {
                self.ty()?;
                // An embedded field is `T`, `*T` or `pkg.T`, possibly instantiated.
                let base = match self.nodes[f + 1].kind {
                    raw::POINTER => f + 2,
                    _ => f + 1,
                };
                if self.nodes[base].kind != raw::NAMED {
                    return Err(self.err(
                        start,
                        "a field name or an embedded type name (`T`, `*T`, `pkg.T`)",
                    ));
                }
            }
            if self.starts_with(b" \"") {
                self.pos += 1;
                self.tag()?;
                self.nodes[f].flag = raw::HAS_TAG;
            }
            self.close(f);
            if self.eat(b"}") {
                self.close(s);
                return Ok(());
            }
            self.expect("; ", "`; ` or `}` after a struct field")?;
        }
    }

    /// An interpreted string literal at the cursor (a struct tag), checked and consumed.
    ///
    /// Accepted: `"` ... `"` with Go's escapes (`\a \b \f \n \r \t \v \\ \"`, `\xHH`, `\ooo`,
    /// `\uHHHH`, `\UHHHHHHHH` naming a valid code point), no raw control characters (strconv.Quote
    /// never writes them; this also refuses NUL and newlines).
    fn tag(&mut self) -> R<()> {
        self.pos += 1; // opening quote
        loop {
            let at = self.pos;
            let Some(c) = self.peek() else {
                return Err(self.err(at, "`\"` closing the struct tag"));
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => {
                    let (digits, radix) = match self.peek_at(1) {
                        Some(b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'\\' | b'"') => {
                            self.pos += 2;
                            continue;
                        }
                        Some(b'x') => (2, 16),
                        Some(b'u') => (4, 16),
                        Some(b'U') => (8, 16),
                        Some(b'0'..=b'7') => (3, 8),
                        _ => return Err(self.err(at, "a valid escape sequence in the struct tag")),
                    };
                    let first = if radix == 8 { at + 1 } else { at + 2 };
                    let text = self.b.get(first..first + digits).unwrap_or(&[]);
                    let ok_digits =
                        text.len() == digits && text.iter().all(|&d| (d as char).is_digit(radix));
                    if !ok_digits {
                        return Err(self.err(at, "a complete escape sequence in the struct tag"));
                    }
                    // All digits are ASCII, so this is valid UTF-8.
                    let v = std::str::from_utf8(text)
                        .ok()
                        .and_then(|t| u32::from_str_radix(t, radix).ok());
                    let valid = match (radix, digits) {
                        (8, _) => v.is_some_and(|v| v <= 255),
                        (16, 2) => true,
                        _ => v.and_then(char::from_u32).is_some(),
                    };
                    if !valid {
                        return Err(
                            self.err(at, "an escape naming a valid value in the struct tag")
                        );
                    }
                    self.pos = first + digits;
                }
                c if c < 0x20 || c == 0x7f => {
                    return Err(self.err(at, "an escaped control character in the struct tag"));
                }
                _ => self.pos += 1,
            }
        }
    }

    /// `interface{...}`
    fn interface(&mut self) -> R<()> {
        let it = self.open(raw::INTERFACE, 0, self.pos);
        self.pos += 9;
        self.expect("{", "`{` after `interface`")?;
        if self.eat(b"}") {
            self.close(it);
            return Ok(());
        }
        loop {
            let start = self.pos;
            let n = self.ident_len_at(self.pos);
            if n > 0
                && self.b.get(self.pos + n) == Some(&b'(')
                && !is_kw(&self.src[self.pos..self.pos + n])
            {
                let m = self.open(raw::METHOD, 0, start);
                self.ident_of_len(n, "a method name")?;
                self.signature(false)?;
                self.close(m);
            } else {
                self.union_or_type()?;
            }
            if self.eat(b"}") {
                self.close(it);
                return Ok(());
            }
            self.expect("; ", "`; ` or `}` after an interface element")?;
        }
    }
}

/// A short, escaped excerpt of `src` from `offset`, or `end of input`.
fn excerpt(src: &str, offset: usize) -> String {
    let Some(rest) = src.get(offset..) else {
        // Not on a char boundary (never produced by the parser); fall back to bytes.
        return format!("byte {offset}");
    };
    if rest.is_empty() {
        return "end of input".to_string();
    }
    let mut end = rest.len().min(EXCERPT_LEN);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    if end < rest.len() {
        format!("{:?}…", &rest[..end])
    } else {
        format!("{:?}", rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt(s: &str) -> GoType {
        let t = parse_type(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        assert_eq!(t.to_string(), s, "round trip of {s:?}");
        t
    }

    fn bad(s: &str, offset: usize) -> ParseError {
        match parse_type(s) {
            Ok(t) => panic!("{:.60?} parsed as {t:.60?}", s),
            Err(e) => {
                assert_eq!(e.offset, offset, "{:.60?}: {e}", s);
                e
            }
        }
    }

    #[test]
    fn names_and_qualified_tokens() {
        assert_eq!(rt("int"), GoType::name("int"));
        assert_eq!(
            rt("gopkg.in/yaml.v3.Node"),
            GoType::qualified("gopkg.in/yaml.v3", "Node")
        );
        assert_eq!(
            rt("github.com/x/go-y.Z"),
            GoType::qualified("github.com/x/go-y", "Z")
        );
        assert_eq!(
            rt("example.com/m/v2/pkg.T"),
            GoType::qualified("example.com/m/v2/pkg", "T")
        );
        assert_eq!(rt("unsafe.Pointer"), GoType::qualified("unsafe", "Pointer"));
        rt("example.com/~user/p.T");
        rt("chanx/y.T");
        rt("untyped");
        rt("Ünïcode");
    }

    #[test]
    fn untyped_kinds() {
        for k in UntypedKind::ALL {
            let s = format!("untyped {}", k.as_str());
            assert_eq!(rt(&s), GoType::Untyped(k));
        }
        bad("untyped foo", 7);
    }

    #[test]
    fn channels_follow_the_paren_rule() {
        rt("chan (<-chan int)");
        rt("chan<- chan int");
        rt("<-chan <-chan int");
        rt("chan<- <-chan int");
        rt("chan chan<- int");
        bad("chan (chan int)", 5);
        bad("chan <-chan int", 5);
        bad("chan<-chan int", 4);
    }

    #[test]
    fn signatures() {
        rt("func()");
        rt("func(int int)");
        rt("func(a int, b int)");
        rt("func() int");
        rt("func() (n int, err error)");
        rt("func() (V, bool)");
        rt("func(format string, args ...any)");
        rt("func(...int)");
        rt("func[K comparable, V any](m map[K]V)");
        rt("func[M1, M2 ~map[K]V, K, V comparable](m1 M1, m2 M2) bool");
        rt("func(chan int) func() int");
        bad("func() (int)", 7);
        bad("func() ()", 7);
        bad("func(...int, int)", 11);
        bad("func() (...int)", 8);
    }

    #[test]
    fn depth_limit_is_an_error_not_an_overflow() {
        let deep = "*".repeat(100_000) + "int";
        let e = bad(&deep, MAX_DEPTH);
        assert!(e.expected.contains("levels"));
        let ok = "*".repeat(MAX_DEPTH - 1) + "int";
        drop(rt(&ok));
        let slices = "[]".repeat(100_000) + "int";
        bad(&slices, 2 * MAX_DEPTH);
        let maps = "map[".repeat(50_000);
        bad(&maps, 4 * MAX_DEPTH);
    }

    #[test]
    fn keywords_agree_with_validate() {
        for k in crate::validate::KEYWORDS {
            assert!(is_kw(k), "{k}");
        }
        for s in [
            "int", "chan_", "Map", "funcs", "", "untyped", "selecs", "strucT", "i",
        ] {
            assert!(!is_kw(s), "{s}");
        }
        // Near misses of every keyword (one byte changed, dropped or added) agree too.
        for k in crate::validate::KEYWORDS {
            for i in 0..=k.len() {
                for c in ['a', 'e', 't', 'z', '_', 'Q', '0'] {
                    let mut changed = k.to_string();
                    if i < k.len() {
                        changed.replace_range(i..=i, &c.to_string());
                    }
                    let mut added = k.to_string();
                    added.insert(i, c);
                    for w in [changed, added] {
                        assert_eq!(is_kw(&w), crate::validate::is_keyword(&w), "{w}");
                    }
                }
                if i < k.len() {
                    let mut dropped = k.to_string();
                    dropped.remove(i);
                    assert_eq!(
                        is_kw(&dropped),
                        crate::validate::is_keyword(&dropped),
                        "{dropped}"
                    );
                }
            }
        }
        let kinds = [
            ("map", K_MAP),
            ("chan", K_CHAN),
            ("func", K_FUNC),
            ("struct", K_STRUCT),
            ("interface", K_INTERFACE),
            ("untyped", K_UNTYPED),
            ("select", K_KEYWORD),
            ("Thing", K_NAME),
        ];
        for (w, k) in kinds {
            assert_eq!(word_kind(w.as_bytes()), k, "{w}");
        }
    }

    #[test]
    fn ident_bytes_agrees_with_the_class_table() {
        for c in 0..=255u8 {
            let ident = CLASS[c as usize] & (LETTER | DIGIT) != 0;
            for pos in 0..8 {
                let mut w = *b"aZ_09zA9";
                w[pos] = c;
                let want = if ident { 8 } else { pos };
                assert_eq!(ident_bytes(u64::from_le_bytes(w)), want, "{c:#x} at {pos}");
            }
            let want = if ident { 8 } else { 0 };
            assert_eq!(ident_bytes(u64::from_le_bytes([c; 8])), want, "{c:#x}");
        }
    }

    #[test]
    fn bulk_scans_stop_at_the_right_byte_near_the_end() {
        // Tokens ending exactly at, and a few bytes before, the end of inputs of 8+ bytes, and
        // inputs shorter than one word.
        assert_eq!(
            rt("*Abcdefg"),
            GoType::Pointer(Box::new(GoType::name("Abcdefg")))
        );
        assert_eq!(
            rt("[]Abcdefghij"),
            GoType::Slice(Box::new(GoType::name("Abcdefghij")))
        );
        rt("map[K]Abcdefgh_0123456789");
        rt("func(abcdefghijklmnop int)");
        rt("T");
        rt("*T");
        rt("func(a T)");
        rt("a.b/c_d.Efghijklmno");
        rt("Abécdefghij");
        rt("func(xéyéz int)");
        bad("*Abcdefg!", 8);
        bad("func(abcdefgh!)", 13);
    }

    #[test]
    fn fast_path_check_agrees_with_validate() {
        for p in [
            "io",
            "net/http",
            "gopkg.in/yaml.v3",
            "a/b.c/d",
            "x~y/z+w",
            "a-b",
            "a//b",
            "/a",
            "a/",
            ".a",
            "a.",
            "a/.b",
            "a./b",
            "..",
            "a/../b",
            "a b",
            "é",
            "",
            "a_b/9c",
            "-flag",
            "con/x",
            "x/aux.go",
            "x/com1",
            "conx/y",
        ] {
            // The fast path never accepts what the full check refuses.
            if path_looks_valid(p.as_bytes()) {
                assert!(check_import_path(p).is_ok(), "{p:?}");
            }
        }
    }

    #[test]
    fn excerpt_is_escaped_and_short() {
        let e = bad("int\n\0garbage-garbage-garbage-garbage", 3);
        assert!(e.found.starts_with("\"\\n\\0garbage"), "{}", e.found);
        assert!(e.found.ends_with('…'));
        assert_eq!(bad("", 0).found, "end of input");
    }
}
