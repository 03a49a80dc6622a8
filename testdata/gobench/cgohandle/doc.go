// Package cgohandle holds the Go side of `cargo xtask bench pool`: benchmarks of
// runtime/cgo.Handle (NewHandle, Value, Delete), the Go runtime's own handle table, shaped
// like the Rust handlepool benchmark so the two can be compared per operation.
//
// Run with cgo enabled (runtime/cgo needs it):
//
//	CGO_ENABLED=1 go test -run '^$' -bench . -cpu 1,2
package cgohandle
