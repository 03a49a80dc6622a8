//! Writing a [`GoType`](crate::GoType) as valid Go source. (Stub: being written; see issue 3.)

/// The imports a generated Go file needs. (Stub.)
#[derive(Debug, Clone, Default)]
pub struct ImportSet {}

/// Where a type is being emitted. (Stub.)
#[derive(Debug, Clone, Default)]
pub struct EmitContext {}

/// A type that cannot be written as Go source. (Stub.)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {}
