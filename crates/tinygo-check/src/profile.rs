//! The check profile: which rules apply to a package.

use std::fmt;
use std::str::FromStr;

/// Which subset a package is checked against.
///
/// Parsed from and printed as `"standard"` / `"embedded"` (the values a `mochi.toml` import
/// entry carries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum Profile {
    /// The regular Go toolchain with cgo: nothing is checked.
    #[default]
    Standard,
    /// TinyGo targets without cgo (wasm, wasip1, bare metal): the policy's bans apply.
    Embedded,
}

impl Profile {
    /// Every profile, in declaration order.
    pub const ALL: [Profile; 2] = [Profile::Standard, Profile::Embedded];

    /// The profile's name as parsed and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Standard => "standard",
            Profile::Embedded => "embedded",
        }
    }

    /// True when this profile checks anything at all.
    pub fn checks(self) -> bool {
        matches!(self, Profile::Embedded)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A profile name that is not one of [`Profile::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown profile {found:?}; expected one of: {}", valid_list())]
pub struct ProfileError {
    /// The string that was given.
    pub found: String,
}

fn valid_list() -> String {
    Profile::ALL
        .iter()
        .map(|p| format!("{:?}", p.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for Profile {
    type Err = ProfileError;

    /// Exact, case-sensitive match of `"standard"` or `"embedded"`.
    fn from_str(s: &str) -> Result<Profile, ProfileError> {
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| ProfileError {
                found: s.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_profile() {
        for p in Profile::ALL {
            assert_eq!(p.to_string().parse::<Profile>(), Ok(p));
        }
        assert_eq!(Profile::default(), Profile::Standard);
        assert!(Profile::Embedded.checks() && !Profile::Standard.checks());
    }

    #[test]
    fn unknown_profile_lists_valid_ones() {
        for bad in ["", "Embedded", "tinygo", " standard", "embedded\n"] {
            let err = bad.parse::<Profile>().unwrap_err();
            assert_eq!(err.found, bad);
            let msg = err.to_string();
            assert!(msg.contains("\"standard\", \"embedded\""), "{msg}");
        }
    }
}
