//! `gobridge`: wrapper synthesis for Go packages. A surface (from `go-ingest`, or a surface JSON
//! file) plus a [`Config`] becomes the complete set of generated Go files, a [`Lockfile`] pinning
//! each file's SHA-256, and a [`Report`] of what was generated, skipped and why.
//!
//! Modules: [`synth`] (the steps of [`synthesize`]), [`report`] (every exported symbol bound or
//! skipped with a [`SkipReason`], coverage, the build command), [`gomod`] (the checked `go.mod`
//! builder and the module-path / version / go.sum rules), [`tidy`] (`go mod tidy` in a staging
//! directory for the resolved `go.mod` and `go.sum`), [`lock`], [`config`], [`paths`] (lexical
//! path cleaning for everything printed).
//!
//! It must never: write a partial output (files are staged, then renamed into place), silently
//! drop a symbol it cannot bridge (it is listed in the report with the reason), or paste an
//! unvalidated value into Go source (every renderer validates first).
//!
//! ```
//! use gobridge::{Config, lock::sha256_hex};
//! let config = Config::parse("[go]\nmodule = \"fixture\"\n", "gobridge.toml".as_ref()).unwrap();
//! assert_eq!(config.channel_buffer("fixture", "events"), 1);
//! assert_eq!(sha256_hex(b"").len(), 64);
//! ```

#![warn(missing_docs)]

pub mod bind;
pub mod config;
pub mod gomod;
pub mod lock;
pub mod paths;
pub mod report;
pub mod synth;
pub mod tidy;

pub use config::{Config, ConfigError, ProfileName, Target};
pub use lock::{Drift, LockError, Lockfile};
pub use report::{Bound, Coverage, Renamed, Report, SkipReason, Skipped, SymbolKind};
pub use synth::{Generated, Options, SynthError, synthesize};
