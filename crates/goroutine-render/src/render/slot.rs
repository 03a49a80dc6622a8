//! How one value is lowered between its C form and Go inside a shim.

use super::*;

/// How one value is lowered between its C form and Go.
pub(super) struct Slot<'a> {
    pub(super) cr: Crossing,
    /// The Go type as emitted.
    pub(super) ty: &'a str,
    pub(super) m: &'a str,
}

impl Slot<'_> {
    /// C parameters taking the value in, named after `name`.
    pub(super) fn in_params(&self, name: &str) -> String {
        match self.cr {
            Crossing::Scalar(s) => format!("{name} C.{}", s.c),
            Crossing::String => format!("{name} *C.char, {name}Len C.size_t"),
            Crossing::Handle => format!("{name} C.uint64_t"),
        }
    }

    /// Statements returning `MOCHI_BAD_ARG` when C parameter(s) `name` cannot hold a value
    /// (string data NULL with a non-zero length, or a length beyond `int`); run before any ID
    /// is resolved, so every shim checks its arguments first. Empty for other crossings.
    pub(super) fn in_check(&self, name: &str) -> String {
        match self.cr {
            Crossing::String => format!(
                "if ({name} == nil && {name}Len != 0) || int({name}Len) < 0 {{\n\treturn C.MOCHI_BAD_ARG\n}}\n"
            ),
            _ => String::new(),
        }
    }

    /// Statements declaring Go value `x` from C parameter(s) `name`; on failure they return
    /// `{ret_prefix}st`.
    pub(super) fn in_conv(&self, x: &str, name: &str, ret_prefix: &str) -> String {
        let m = self.m;
        let check = format!("if st != C.MOCHI_OK {{\n\treturn {ret_prefix}st\n}}\n");
        match self.cr {
            Crossing::Scalar(_) => format!("{x} := {}({name})\n", self.ty),
            Crossing::String => {
                format!("{x}, st := mochi_{m}_goString({name}, {name}Len)\n{check}")
            }
            Crossing::Handle => {
                format!(
                    "{x}, st := mochi_{m}_fromHandle[{}]({name})\n{check}",
                    self.ty
                )
            }
        }
    }

    /// C out-parameters for the value, named after `name`.
    pub(super) fn out_params(&self, name: &str) -> String {
        match self.cr {
            Crossing::Scalar(s) => format!("{name} *C.{}", s.c),
            Crossing::String => format!("{name} **C.char, {name}Len *C.size_t"),
            Crossing::Handle => format!("{name} *C.uint64_t"),
        }
    }

    /// The condition that is true when an out-pointer is NULL.
    pub(super) fn out_nil(&self, name: &str) -> String {
        match self.cr {
            Crossing::String => format!("{name} == nil || {name}Len == nil"),
            _ => format!("{name} == nil"),
        }
    }

    /// Statements writing Go value `x` through out-parameter(s) `name`.
    pub(super) fn out_store(&self, x: &str, name: &str) -> String {
        let m = self.m;
        match self.cr {
            Crossing::Scalar(s) => format!("*{name} = C.{}({x})\n", s.c),
            Crossing::String => {
                format!("*{name} = mochi_{m}_cString({x})\n*{name}Len = C.size_t(len({x}))\n")
            }
            Crossing::Handle => format!(
                "h, hst := mochi_{m}_toHandle({x})\nif hst != C.MOCHI_OK {{\n\treturn hst\n}}\n*{name} = h\n"
            ),
        }
    }

    /// Statements declaring `x` from the select case's value pointer `p`.
    pub(super) fn select_read(&self, reflect: &str) -> String {
        let m = self.m;
        let check = format!("if st != C.MOCHI_OK {{\n\treturn {reflect}.SelectCase{{}}, st\n}}\n");
        match self.cr {
            Crossing::Scalar(s) => format!("x := {}(*(*C.{})(p))\n", self.ty, s.c),
            Crossing::String => format!(
                "b := (*C.mochi_bytes)(p)\nx, st := mochi_{m}_goString(b.data, b.len)\n{check}"
            ),
            Crossing::Handle => format!(
                "x, st := mochi_{m}_fromHandle[{}](*(*C.uint64_t)(p))\n{check}",
                self.ty
            ),
        }
    }

    /// Statements writing `x` through the select case's value pointer `p`.
    pub(super) fn select_store(&self) -> String {
        let m = self.m;
        match self.cr {
            Crossing::Scalar(s) => format!("*(*C.{c})(p) = C.{c}(x)\n", c = s.c),
            Crossing::String => format!(
                "b := (*C.mochi_bytes)(p)\nb.data = mochi_{m}_cString(x)\nb.len = C.size_t(len(x))\n"
            ),
            Crossing::Handle => format!(
                "h, st := mochi_{m}_toHandle(x)\nif st != C.MOCHI_OK {{\n\treturn st\n}}\n*(*C.uint64_t)(p) = h\n"
            ),
        }
    }
}
