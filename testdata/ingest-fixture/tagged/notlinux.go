//go:build !linux && !darwin && !windows

package tagged

// Elsewhere exists only on other systems.
func Elsewhere() {}
