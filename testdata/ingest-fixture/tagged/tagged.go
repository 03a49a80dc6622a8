// Package tagged has build-tagged files.
package tagged

// Always is in every build.
func Always() {}
