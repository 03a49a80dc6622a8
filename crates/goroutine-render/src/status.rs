//! The status codes every shim returns, rendered as the C enum `mochi_status`.

/// A shim's result, as the C enum `mochi_status` the shim file's preamble declares.
///
/// The numeric values are part of the C ABI and never change; new codes are only appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Status {
    /// The operation succeeded; out-parameters are written.
    Ok,
    /// The channel is closed: a send or close on a closed channel, or a receive on a closed and
    /// drained channel (whose handle is then released).
    Closed,
    /// `try_send`: the buffer is full (nothing was sent).
    Full,
    /// `try_recv`: nothing is buffered (nothing was received).
    Empty,
    /// `select` with a non-blocking default: no case was ready.
    WouldBlock,
    /// An ID that is zero, was never issued, or was released.
    UnknownHandle,
    /// An ID that resolves to a value of another kind (a callback ID given to a channel shim, a
    /// channel of another element type, a value of the wrong type).
    WrongKind,
    /// Go code panicked (a callback, or an unexpected runtime error). A shim with a message slot
    /// (`mochi_bytes *msg`, e.g. `cb_call`) writes the panic's text there; the channel, select and
    /// release shims run no user code and carry no text.
    Panic,
    /// The handle table is at its cap; nothing was acquired.
    Exhausted,
    /// A bad argument: a NULL out-pointer, a negative length, a NULL data pointer with a
    /// non-zero length, an out-of-range buffer size, or a malformed select case.
    BadArg,
    /// The Go function returned a non-nil `error`; its `Error()` text is in the call's message
    /// slot (`mochi_bytes *msg`). Emitted by wrapper shims of functions with an `error` result.
    GoError,
}

impl Status {
    /// Every status, in numeric order.
    pub const ALL: [Status; 11] = [
        Status::Ok,
        Status::Closed,
        Status::Full,
        Status::Empty,
        Status::WouldBlock,
        Status::UnknownHandle,
        Status::WrongKind,
        Status::Panic,
        Status::Exhausted,
        Status::BadArg,
        Status::GoError,
    ];

    /// The numeric value in the C enum.
    pub fn value(self) -> i32 {
        match self {
            Status::Ok => 0,
            Status::Closed => 1,
            Status::Full => 2,
            Status::Empty => 3,
            Status::WouldBlock => 4,
            Status::UnknownHandle => 5,
            Status::WrongKind => 6,
            Status::Panic => 7,
            Status::Exhausted => 8,
            Status::BadArg => 9,
            Status::GoError => 10,
        }
    }

    /// The C enumerator name (`MOCHI_OK`, ...), also usable from Go as `C.MOCHI_OK`.
    pub fn c_name(self) -> &'static str {
        match self {
            Status::Ok => "MOCHI_OK",
            Status::Closed => "MOCHI_CLOSED",
            Status::Full => "MOCHI_FULL",
            Status::Empty => "MOCHI_EMPTY",
            Status::WouldBlock => "MOCHI_WOULD_BLOCK",
            Status::UnknownHandle => "MOCHI_UNKNOWN_HANDLE",
            Status::WrongKind => "MOCHI_WRONG_KIND",
            Status::Panic => "MOCHI_PANIC",
            Status::Exhausted => "MOCHI_EXHAUSTED",
            Status::BadArg => "MOCHI_BAD_ARG",
            Status::GoError => "MOCHI_GO_ERROR",
        }
    }

    /// The status with numeric value `v`, if any.
    pub fn from_value(v: i32) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.value() == v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_dense_and_round_trip() {
        for (i, s) in Status::ALL.iter().enumerate() {
            assert_eq!(s.value(), i as i32);
            assert_eq!(Status::from_value(s.value()), Some(*s));
            assert!(s.c_name().starts_with("MOCHI_"));
        }
        assert_eq!(Status::from_value(10), Some(Status::GoError));
        assert_eq!(Status::GoError.c_name(), "MOCHI_GO_ERROR");
        assert_eq!(Status::from_value(11), None);
        assert_eq!(Status::from_value(-1), None);
    }
}
