//! Parser for go/types type strings. (Stub: being written; see issue 3.)

use crate::ast::GoType;

/// Longest input [`parse_type`] accepts, in bytes.
pub const MAX_INPUT_LEN: usize = 1 << 20;
/// Deepest nesting [`parse_type`] accepts (each composite type or signature is one level).
pub const MAX_DEPTH: usize = 128;

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
pub fn parse_type(input: &str) -> Result<GoType, ParseError> {
    Err(ParseError { offset: 0, expected: "a type".into(), found: format!("{:.20}", input) })
}
