//go:build !cgo

package tagged

// CgoEnabled reports whether the package was built with cgo.
const CgoEnabled = false
