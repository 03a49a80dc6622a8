/// A Rust closure handed to Go as a Go `func` value: Go holds a handle to a rendered trampoline
/// that calls back into Rust with the closure's host-pool ID. `F` is the closure's `dyn Fn`
/// type. Dropping it releases the Go handle, and Go's release frees the host-pool entry (Go
/// code that kept the func value and calls it later gets a Go panic, never a dangling closure).
pub struct GoCallback<F: ?Sized> {
    id: u64,
    release: extern "C" fn(u64) -> RawStatus,
    _f: std::marker::PhantomData<Box<F>>,
}

impl<F: ?Sized> Drop for GoCallback<F> {
    fn drop(&mut self) {
        let _ = (self.release)(self.id);
    }
}

impl<F: ?Sized> std::fmt::Debug for GoCallback<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GoCallback<{}>", std::any::type_name::<F>())
    }
}

impl<F: ?Sized> GoHandle for GoCallback<F> {
    fn handle_id(&self) -> u64 {
        self.id
    }
}

/// The host side's release of a closure, called by Go when it releases the func's handle.
type HostDropFn = unsafe extern "C" fn(u64);

/// The host pool of one closure kind.
type HostPool<F> = std::sync::LazyLock<handlepool::HandlePool<Box<F>>>;

/// Releases a closure of `pool` (from Go's release), never unwinding into Go.
fn host_release<F: ?Sized>(pool: &HostPool<F>, host_id: u64) {
    if let Some(id) = handlepool::HandleId::new(host_id) {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pool.release(id)));
    }
}

/// Copies a caught panic's message into Go's buffer, then drops the payload without unwinding.
fn host_panic(
    payload: Box<dyn std::any::Any + Send>,
    msg: *mut u8,
    msg_cap: usize,
    msg_len: *mut usize,
) {
    let text = if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.as_str()
    } else {
        "a Rust panic with a non-string payload"
    };
    host_text(text, msg, msg_cap, msg_len);
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(payload)));
}

/// Copies `text` (a panic message, or the error a host closure returned) into Go's buffer, cut
/// at a UTF-8 boundary to `msg_cap` bytes.
fn host_text(text: &str, msg: *mut u8, msg_cap: usize, msg_len: *mut usize) {
    if !msg.is_null() && !msg_len.is_null() {
        let mut n = text.len().min(msg_cap);
        while !text.is_char_boundary(n) {
            n -= 1;
        }
        // SAFETY: Go passes `msg` with room for `msg_cap` bytes and a writable `msg_len`, both
        // valid for this call; `n <= msg_cap` and the regions cannot overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), msg, n);
            msg_len.write(n);
        }
    }
}

/// Borrows a `[]byte` Go passes into a host closure.
///
/// # Safety
///
/// `p` must point to `n` bytes that stay readable for `'a` (or `n` must be 0).
#[allow(dead_code)]
unsafe fn host_bytes<'a>(p: *const u8, n: usize) -> &'a [u8] {
    if n == 0 || p.is_null() {
        return &[];
    }
    // SAFETY: guaranteed by the caller.
    unsafe { std::slice::from_raw_parts(p, n) }
}

/// Borrows a string Go passes into a host closure (invalid UTF-8 is replaced).
///
/// # Safety
///
/// `p` must point to `n` bytes that stay readable for `'a` (or `n` must be 0).
#[allow(dead_code)]
unsafe fn host_str<'a>(p: *const u8, n: usize) -> std::borrow::Cow<'a, str> {
    if n == 0 || p.is_null() {
        return std::borrow::Cow::Borrowed("");
    }
    // SAFETY: guaranteed by the caller.
    let bytes = unsafe { std::slice::from_raw_parts(p, n) };
    String::from_utf8_lossy(bytes)
}
