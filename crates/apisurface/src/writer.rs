//! The indent-aware Go text writer. (Stub: being written; see issue 3.)

/// Indent-aware Go text writer. (Stub.)
#[derive(Debug, Clone, Default)]
pub struct GoWriter {}
