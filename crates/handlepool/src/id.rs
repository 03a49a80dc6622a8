//! [`HandleId`]: the opaque, non-zero `u64` that crosses the FFI boundary.

use std::fmt;
use std::num::NonZeroU64;

/// An opaque handle: a non-zero `u64` naming one value in one [`HandlePool`](crate::HandlePool).
///
/// Layout (informative, not a stability promise): the high 32 bits are the slot's generation
/// (never 0), the low 32 bits are the slot index plus one (never 0). A released ID never names a
/// value again, because the slot's generation moves on before the slot is reused.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct HandleId(NonZeroU64);

impl HandleId {
    /// Wraps a raw ID; `None` for 0, which means "no handle" on both sides of the boundary.
    #[inline]
    pub const fn new(raw: u64) -> Option<Self> {
        match NonZeroU64::new(raw) {
            Some(n) => Some(Self(n)),
            None => None,
        }
    }

    /// The raw value to hand across the boundary.
    #[inline]
    pub const fn get(self) -> u64 {
        self.0.get()
    }

    /// Builds the ID for `generation` (non-zero) and slot `index` (at most `u32::MAX - 1`).
    #[inline]
    pub(crate) fn from_parts(generation: u32, index: u32) -> Self {
        debug_assert!(generation != 0 && index != u32::MAX);
        let raw = (u64::from(generation) << 32) | u64::from(index + 1);
        // `index + 1` is non-zero, so `raw` is.
        Self(NonZeroU64::new(raw).unwrap_or(NonZeroU64::MIN))
    }

    /// The generation part (for diagnostics).
    #[inline]
    pub const fn generation(self) -> u32 {
        (self.0.get() >> 32) as u32
    }

    /// The slot index part, or `None` if the low half is 0 (such an ID never resolves).
    #[inline]
    pub const fn slot(self) -> Option<u32> {
        (self.0.get() as u32).checked_sub(1)
    }
}

impl TryFrom<u64> for HandleId {
    type Error = ZeroHandleId;
    #[inline]
    fn try_from(raw: u64) -> Result<Self, ZeroHandleId> {
        Self::new(raw).ok_or(ZeroHandleId)
    }
}

impl From<HandleId> for u64 {
    #[inline]
    fn from(id: HandleId) -> u64 {
        id.get()
    }
}

impl fmt::Debug for HandleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.slot() {
            Some(s) => write!(f, "HandleId(gen {}, slot {})", self.generation(), s),
            None => write!(f, "HandleId({:#x})", self.get()),
        }
    }
}

impl fmt::Display for HandleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.get())
    }
}

/// The error of `HandleId::try_from(0)`: ID 0 is reserved for "no handle".
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("handle ID 0 is reserved for \"no handle\" and names no value")]
pub struct ZeroHandleId;

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn zero_is_rejected_and_parts_round_trip() {
        assert_eq!(HandleId::try_from(0), Err(ZeroHandleId));
        assert!(HandleId::new(0).is_none());
        let id = HandleId::from_parts(7, 41);
        assert_eq!(id.generation(), 7);
        assert_eq!(id.slot(), Some(41));
        assert_eq!(id.get(), (7 << 32) | 42);
        assert_eq!(HandleId::try_from(id.get()), Ok(id));
        assert_eq!(u64::from(id), id.get());
        assert_eq!(format!("{id:?}"), "HandleId(gen 7, slot 41)");
        assert_eq!(id.to_string(), id.get().to_string());
        let odd = HandleId::new(5 << 32).unwrap();
        assert_eq!(odd.slot(), None);
        assert_eq!(format!("{odd:?}"), "HandleId(0x500000000)");
    }
}
