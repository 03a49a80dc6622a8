//! [`Name`]: the string type of identifiers, import paths and tags inside a [`crate::GoType`].

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

/// An immutable string that stores up to 24 bytes inline, without a heap allocation.
///
/// Nearly every string inside a parsed type (`int`, `err`, `context`, `encoding/json`) is that
/// short, so a [`crate::GoType`] tree costs only the allocations of its boxes and lists. A
/// `Name` behaves like a `&str` (it derefs to one) and converts from and into `String`.
///
/// ```
/// use apisurface::Name;
/// let n = Name::from("ctx");
/// assert_eq!(n, "ctx");
/// assert_eq!(n.len(), 3);
/// let s: String = n.into();
/// assert_eq!(s, "ctx");
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Name(compact_str::CompactString);

impl Name {
    /// Makes a `Name` from a string slice (no allocation for up to 24 bytes).
    #[inline]
    pub fn new(s: &str) -> Self {
        Name(compact_str::CompactString::new(s))
    }

    /// The name as a string slice.
    #[inline]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Deref for Name {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl std::hash::Hash for Name {
    /// Hashes exactly as the `str` it holds (required by `Borrow<str>`).
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl AsRef<str> for Name {
    #[inline]
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

impl Borrow<str> for Name {
    #[inline]
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.as_str(), f)
    }
}

impl From<&str> for Name {
    #[inline]
    fn from(s: &str) -> Self {
        Name::new(s)
    }
}

impl From<&String> for Name {
    #[inline]
    fn from(s: &String) -> Self {
        Name::new(s)
    }
}

impl From<String> for Name {
    #[inline]
    fn from(s: String) -> Self {
        Name(compact_str::CompactString::from(s))
    }
}

impl From<Name> for String {
    #[inline]
    fn from(n: Name) -> Self {
        n.0.into_string()
    }
}

impl PartialEq<str> for Name {
    #[inline]
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    #[inline]
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    #[inline]
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Name> for str {
    #[inline]
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    #[inline]
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Name> for String {
    #[inline]
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_names_keep_their_text() {
        for s in [
            "",
            "x",
            "exactly_twenty_four_byte",
            "a name that is longer than twenty four bytes",
            "héllo",
        ] {
            let n = Name::from(s);
            assert_eq!(n.as_str(), s);
            assert_eq!(n, s);
            assert_eq!(String::from(n.clone()), s);
            assert_eq!(Name::from(s.to_string()), n);
            assert_eq!(format!("{n}"), s);
            assert_eq!(format!("{n:?}"), format!("{s:?}"));
        }
    }

    #[test]
    fn ordering_and_hashing_follow_the_text() {
        use std::collections::{BTreeSet, HashSet};
        let names: Vec<Name> = ["b", "a", "c", "a"].into_iter().map(Name::from).collect();
        let sorted: Vec<&str> = names
            .iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(Name::as_str)
            .collect();
        assert_eq!(sorted, ["a", "b", "c"]);
        let set: HashSet<&Name> = names.iter().collect();
        assert_eq!(set.len(), 3);
        assert!(set.contains(&Name::from("a")));
    }
}
