//! go-ingest integration tests.
