//! Integration tests for apisurface.

mod model;
mod types;
mod proptest_types;
