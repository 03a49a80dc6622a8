//! Integration tests for apisurface.

mod model;
mod types;
