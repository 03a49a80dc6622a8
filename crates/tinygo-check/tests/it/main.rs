//! Integration tests for tinygo-check.
