// Package gowrap is the goroutine-bridge gate's library form of the rendered files: with
// -tags mochi_wrap it holds the runtime and shims, without the tag only this file.
package gowrap
