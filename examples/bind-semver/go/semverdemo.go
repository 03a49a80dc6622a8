// Package semverdemo is the local Go module of the bind-semver example: it depends on
// golang.org/x/mod (fetched through the module proxy) and adds one helper of its own.
package semverdemo

import "golang.org/x/mod/semver"

// Newest returns the greater of two semantic versions (invalid ones sort first).
func Newest(a, b string) string {
	if semver.Compare(a, b) >= 0 {
		return a
	}
	return b
}
