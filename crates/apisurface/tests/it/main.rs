//! Integration tests for apisurface.

mod model;
mod proptest_types;
mod types;
