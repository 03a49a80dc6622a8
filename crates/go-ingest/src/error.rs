//! The one error type of this crate.

use std::path::PathBuf;

/// Everything that can go wrong while ingesting. Each variant names the pattern, package, path or
/// command it is about and carries the Go toolchain's own message where there is one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// No `go` binary: not on `PATH`, or the explicit path / `GOBRIDGE_GO` does not exist.
    #[error(
        "`go` not found ({searched}); install Go (https://go.dev/dl/), put it on PATH, \
         or set GOBRIDGE_GO to the go binary"
    )]
    GoNotFound {
        /// Where we looked.
        searched: String,
    },
    /// An input that cannot be handed to Go: a pattern that is empty, starts with `-` or holds
    /// control characters; a malformed build tag or environment variable name.
    #[error("invalid {what} {value:?}: {reason}")]
    InvalidInput {
        /// `pattern`, `build tag` or `environment variable`.
        what: &'static str,
        /// The value as given.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A `go` command (such as `go version`) failed.
    #[error("`{command}` failed: {message}")]
    GoCommand {
        /// The command line.
        command: String,
        /// Go's output.
        message: String,
    },
    /// Building the embedded helper failed.
    #[error("building the ingest helper with {go} failed: {message}")]
    HelperBuild {
        /// The `go` binary used.
        go: PathBuf,
        /// Go's output.
        message: String,
    },
    /// A pattern matched no package (or names a package that does not exist).
    #[error("pattern `{pattern}` matched no packages: {message}")]
    NoMatch {
        /// The pattern.
        pattern: String,
        /// Go's message.
        message: String,
    },
    /// A requested package (or one of its dependencies) does not compile.
    #[error("package `{package}` does not compile: {message}")]
    Compile {
        /// Import path of the requested package.
        package: String,
        /// Go's message (compiler output).
        message: String,
    },
    /// The directory is not inside a Go module and the patterns need one.
    #[error("{} is not in a Go module: {message}", dir.display())]
    NotInModule {
        /// The working directory.
        dir: PathBuf,
        /// Go's message.
        message: String,
    },
    /// `GOOS`/`GOARCH` name a platform the toolchain does not support.
    #[error("unsupported GOOS/GOARCH {goos}/{goarch}: {message}")]
    UnsupportedPlatform {
        /// `GOOS` in effect.
        goos: String,
        /// `GOARCH` in effect.
        goarch: String,
        /// Go's message.
        message: String,
    },
    /// `go list` failed for another reason.
    #[error("`go list` for `{patterns}` failed: {message}")]
    GoList {
        /// The patterns, space separated.
        patterns: String,
        /// Go's message.
        message: String,
    },
    /// The helper crashed or wrote something that is not its protocol.
    #[error("the ingest helper failed: {message}")]
    Helper {
        /// What happened, with the helper's stderr.
        message: String,
    },
    /// The helper's document is not exactly the `apisurface` schema.
    #[error("helper output does not match the apisurface schema: {detail}")]
    SchemaMismatch {
        /// Where the document and the model disagree.
        detail: String,
    },
    /// A file-system operation failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What we were doing.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

impl IngestError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        IngestError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
