//! Integration tests for apisurface.

mod model;
