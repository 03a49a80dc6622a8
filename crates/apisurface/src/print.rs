//! `Display` for [`GoType`]: the canonical go/types form. (Stub: being written; see issue 3.)

use crate::ast::GoType;
use std::fmt;

impl fmt::Display for GoType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}
