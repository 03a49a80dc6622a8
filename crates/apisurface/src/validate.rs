//! Validation of values before they reach Go source. (Stub: being written; see issue 3.)
