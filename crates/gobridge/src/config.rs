//! `gobridge.toml`: what to generate, read with serde + `toml`.
//!
//! Every key is optional ([`Config::default`] needs no file at all). Unknown keys and bad values
//! are errors naming the file, the line and the key. The shape follows the seeds' tables:
//!
//! ```toml
//! [go]
//! module = "fixture"            # module flat name used in exported C symbols (mochi_<module>_...)
//! package = "gowrap"            # wrapper package name
//! max_handles = 4096            # Go-side handle cap; negative = unbounded
//! targets = ["cgo", "wasip1", "tinygo:wasm"]
//! default_profile = "standard"  # or "embedded"
//! policy = "tinygo"             # or "mep74"
//!
//! [go.profiles]                 # profile per import path
//! "example.com/fixture/tiny" = "embedded"
//!
//! [go.channels.fixture.events]  # per-channel buffer override (seed 14.1)
//! buffer = 8
//!
//! [go.linkname.Double]          # per-symbol linkname opt-in / opt-out (seed 16.3)
//! enabled = true
//!
//! [go.bans.packages]            # extra banned packages, with a reason (seed 16.4)
//! "example.com/heavy" = "pulls in net/http"
//!
//! [go.bans.type_prefixes]
//! "example.com/fixture.Unsafe" = "holds a raw pointer"
//! ```

use apisurface::validate::{check_identifier, check_import_path};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Default wrapper package name.
pub const DEFAULT_PACKAGE: &str = "gowrap";
/// Default Go-side handle cap (the seeds' `goroutine-bridge.max-handles`).
pub const DEFAULT_MAX_HANDLES: i64 = 4096;

/// The whole configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The `[go]` table.
    pub go: GoConfig,
}

/// The `[go]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GoConfig {
    /// Module flat name used in exported C symbols; empty = derived from the surface's module
    /// path (last element, made an identifier).
    pub module: Option<Ident>,
    /// Wrapper package name.
    pub package: Ident,
    /// Go-side handle cap; negative means unbounded.
    pub max_handles: i64,
    /// Build targets; default `["cgo"]`.
    pub targets: Vec<Target>,
    /// Profile for imports not listed in `profiles`.
    pub default_profile: ProfileName,
    /// Banned-set policy for the embedded profile.
    pub policy: PolicyName,
    /// Profile per import path.
    pub profiles: BTreeMap<ImportPath, ProfileName>,
    /// Per-channel overrides: `[go.channels.<module>.<base>]`.
    pub channels: BTreeMap<Ident, BTreeMap<Ident, ChannelConfig>>,
    /// Per-symbol linkname opt-in/opt-out: `[go.linkname.<symbol>]`.
    pub linkname: BTreeMap<Ident, LinknameConfig>,
    /// Extra bans for the embedded profile.
    pub bans: Bans,
    /// Instantiations of generic functions: `[go.instantiate."<import path>.<Func>"]` with
    /// `<suffix> = ["type arg", ...]` binds `<func>_<suffix>` (type arguments as go/types prints
    /// them, qualified by full import path). Checked when binding; a bad entry is reported.
    pub instantiate: BTreeMap<String, BTreeMap<Ident, Vec<String>>>,
}

impl Default for GoConfig {
    fn default() -> GoConfig {
        GoConfig {
            module: None,
            package: Ident(DEFAULT_PACKAGE.to_string()),
            max_handles: DEFAULT_MAX_HANDLES,
            targets: vec![Target::Cgo],
            default_profile: ProfileName::Standard,
            policy: PolicyName::Tinygo,
            profiles: BTreeMap::new(),
            channels: BTreeMap::new(),
            linkname: BTreeMap::new(),
            bans: Bans::default(),
            instantiate: BTreeMap::new(),
        }
    }
}

/// `[go.channels.<module>.<base>]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelConfig {
    /// Channel buffer (≥ 1; the bridge never creates unbuffered channels across the boundary).
    pub buffer: Buffer,
}

/// `[go.linkname.<symbol>]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinknameConfig {
    /// True to render a linkname wrapper for the symbol, false to leave it out.
    pub enabled: bool,
}

/// `[go.bans]`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bans {
    /// Import path → reason.
    pub packages: BTreeMap<ImportPath, String>,
    /// Type prefix (`example.com/x.T`) → reason.
    pub type_prefixes: BTreeMap<String, String>,
}

/// A Go identifier, validated when read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Ident(pub String);

impl<'de> Deserialize<'de> for Ident {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ident, D::Error> {
        let s = String::deserialize(d)?;
        check_identifier(&s).map_err(serde::de::Error::custom)?;
        Ok(Ident(s))
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An import path, validated when read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ImportPath(pub String);

impl<'de> Deserialize<'de> for ImportPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ImportPath, D::Error> {
        let s = String::deserialize(d)?;
        check_import_path(&s).map_err(serde::de::Error::custom)?;
        Ok(ImportPath(s))
    }
}

/// A channel buffer size, at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Buffer(pub u32);

impl<'de> Deserialize<'de> for Buffer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Buffer, D::Error> {
        let n = i64::deserialize(d)?;
        if !(1..=1 << 20).contains(&n) {
            return Err(serde::de::Error::custom(format!(
                "buffer must be between 1 and {}, got {n}",
                1 << 20
            )));
        }
        Ok(Buffer(n as u32))
    }
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $var),+ }

        impl $name {
            /// Every accepted spelling.
            pub const ALL: &'static [&'static str] = &[$($s),+];
            /// The spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<$name, String> {
                match s {
                    $($s => Ok($name::$var),)+
                    _ => Err(format!("unknown {} {s:?}; expected one of: {}", stringify!($name), $name::ALL.join(", "))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

string_enum!(
    /// A subset profile name (`tinygo-check`'s `Profile`).
    ProfileName {
        /// No subset check.
        Standard = "standard",
        /// The TinyGo embedded subset.
        Embedded = "embedded",
    }
);

string_enum!(
    /// Which banned-set policy the embedded profile uses.
    PolicyName {
        /// TinyGo's own importability table (default).
        Tinygo = "tinygo",
        /// The seed's hand-written MEP-74 list, for parity.
        Mep74 = "mep74",
    }
);

/// A build target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Target {
    /// A cgo c-archive for C and Rust hosts (`//export` shims).
    Cgo,
    /// `GOOS=wasip1 GOARCH=wasm` with `//go:wasmexport` wrappers.
    Wasip1,
    /// TinyGo with the named `-target` (`tinygo:wasm`, `tinygo:pico`).
    Tinygo(String),
}

impl FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Target, String> {
        match s {
            "cgo" => Ok(Target::Cgo),
            "wasip1" => Ok(Target::Wasip1),
            _ => match s.strip_prefix("tinygo:") {
                Some(t)
                    if !t.is_empty()
                        && t.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) =>
                {
                    Ok(Target::Tinygo(t.to_string()))
                }
                _ => Err(format!(
                    "unknown target {s:?}; expected `cgo`, `wasip1` or `tinygo:<target>`"
                )),
            },
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Cgo => f.write_str("cgo"),
            Target::Wasip1 => f.write_str("wasip1"),
            Target::Tinygo(t) => write!(f, "tinygo:{t}"),
        }
    }
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Target, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{file}: cannot read the configuration")]
    Read {
        /// The file.
        file: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Bad TOML, an unknown key, or a bad value.
    #[error("{file}:{line}:{column}: {}{message}", key.as_deref().map(|k| format!("key `{k}`: ")).unwrap_or_default())]
    Invalid {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The key involved, when known.
        key: Option<String>,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Reads and validates `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parses and validates TOML text; `file` is used in error messages only.
    pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
        toml::from_str::<Config>(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            let message = e.message().to_string();
            let key =
                unknown_field(&message).or_else(|| e.span().and_then(|s| key_at(text, s.start)));
            ConfigError::Invalid {
                file: file.to_path_buf(),
                line,
                column,
                key,
                message,
            }
        })
    }

    /// Bytes this config contributes to the lockfile's `config_sha256`: its canonical TOML.
    pub fn canonical_toml(&self) -> String {
        toml::to_string(self).expect("config serializes")
    }

    /// The buffer for channel `base` of module `module` (default 1).
    pub fn channel_buffer(&self, module: &str, base: &str) -> u32 {
        self.go
            .channels
            .get(&Ident(module.to_string()))
            .and_then(|m| m.get(&Ident(base.to_string())))
            .map_or(1, |c| c.buffer.0)
    }

    /// The profile for an import path.
    pub fn profile_for(&self, import_path: &str) -> ProfileName {
        self.go
            .profiles
            .get(&ImportPath(import_path.to_string()))
            .copied()
            .unwrap_or(self.go.default_profile)
    }

    /// The per-symbol linkname setting, if any.
    pub fn linkname_for(&self, symbol: &str) -> Option<bool> {
        self.go
            .linkname
            .get(&Ident(symbol.to_string()))
            .map(|l| l.enabled)
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_string())
}

/// The key on the line containing `offset` (`key = value`), or the table header.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?.trim();
    if let Some((k, _)) = line.split_once('=') {
        return Some(k.trim().trim_matches('"').to_string());
    }
    line.strip_prefix('[')
        .map(|h| h.trim_end_matches(']').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Config, ConfigError> {
        Config::parse(s, Path::new("gobridge.toml"))
    }

    #[test]
    fn empty_file_is_the_default() {
        let c = parse("").unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.go.package.0, "gowrap");
        assert_eq!(c.go.max_handles, 4096);
        assert_eq!(c.go.targets, vec![Target::Cgo]);
        assert_eq!(c.channel_buffer("m", "value"), 1);
        assert_eq!(c.profile_for("x"), ProfileName::Standard);
    }

    #[test]
    fn full_example_parses() {
        let text = r#"
[go]
module = "fixture"
package = "wrap"
max_handles = -1
targets = ["cgo", "wasip1", "tinygo:wasm"]
policy = "mep74"

[go.profiles]
"example.com/fixture/tiny" = "embedded"

[go.channels.fixture.events]
buffer = 8

[go.linkname.Double]
enabled = true

[go.linkname.Touch]
enabled = false

[go.bans.packages]
"example.com/heavy" = "pulls in net/http"

[go.bans.type_prefixes]
"example.com/fixture.Unsafe" = "raw pointer"
"#;
        let c = parse(text).unwrap();
        assert_eq!(c.go.module, Some(Ident("fixture".into())));
        assert_eq!(c.go.max_handles, -1);
        assert_eq!(c.go.targets[2], Target::Tinygo("wasm".into()));
        assert_eq!(c.channel_buffer("fixture", "events"), 8);
        assert_eq!(c.channel_buffer("fixture", "other"), 1);
        assert_eq!(
            c.profile_for("example.com/fixture/tiny"),
            ProfileName::Embedded
        );
        assert_eq!(c.linkname_for("Double"), Some(true));
        assert_eq!(c.linkname_for("Touch"), Some(false));
        assert_eq!(c.linkname_for("Other"), None);
        assert_eq!(c.go.policy, PolicyName::Mep74);
        // Canonical form re-parses to the same config.
        assert_eq!(parse(&c.canonical_toml()).unwrap(), c);
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let cases: &[(&str, usize, &str)] = &[
            ("[go]\nmodul = \"x\"\n", 2, "modul"),
            ("[go]\npackage = \"func\"\n", 2, "package"),
            ("[go]\npackage = \"a b\"\n", 2, "package"),
            ("[go]\ntargets = [\"cgo\", \"plan9\"]\n", 2, "targets"),
            ("[go.channels.m.b]\nbuffer = 0\n", 2, "buffer"),
            ("[go.channels.m.b]\nbufer = 2\n", 2, "bufer"),
            ("[go.profiles]\n\"x/y\" = \"tiny\"\n", 2, "x/y"),
            ("[go.bans.packages]\n\"a b\" = \"r\"\n", 2, "a b"),
            ("[go]\nmax_handles = \"many\"\n", 2, "max_handles"),
            ("[nope]\n", 1, "nope"),
        ];
        for (text, line, key) in cases {
            match parse(text) {
                Err(ConfigError::Invalid {
                    line: l,
                    key: k,
                    file,
                    ..
                }) => {
                    assert_eq!(l, *line, "{text}");
                    assert_eq!(k.as_deref(), Some(*key), "{text}");
                    assert_eq!(file, Path::new("gobridge.toml"));
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        let e = parse("[go]\nmodul = 1\n").unwrap_err().to_string();
        assert!(
            e.starts_with("gobridge.toml:2:1: key `modul`: unknown field"),
            "{e}"
        );
    }

    #[test]
    fn enums_list_valid_spellings() {
        let e = "embeded".parse::<ProfileName>().unwrap_err();
        assert!(e.contains("standard, embedded"), "{e}");
        assert_eq!(
            "tinygo:pico".parse::<Target>().unwrap().to_string(),
            "tinygo:pico"
        );
        assert!("tinygo:".parse::<Target>().is_err());
        assert!("tinygo:a b".parse::<Target>().is_err());
    }
}
