// Package lnfixture is the source package that gobridge's linkname sentinel links wrappers to.
//
// Every function and method here has a result that depends on its inputs, so a wrapper with
// a wrong signature or a missing link shows up as a wrong value or a crash, not as silence.
// surface.json beside this file is its API surface; keep the two in step.
package lnfixture

import (
	"errors"

	"example.com/lnfixture/geom"
)

// Double returns 2*x (the seed's first fixture function).
func Double(x int64) int64 { return 2 * x }

var touched int64

// Touch records x (the seed's second fixture function: no results).
func Touch(x int64) { touched = x }

// Touched returns the value last passed to Touch.
func Touched() int64 { return touched }

// Sum adds its variadic arguments to base.
func Sum(base int64, xs ...int64) int64 {
	for _, x := range xs {
		base += x
	}
	return base
}

// DivMod returns the quotient and remainder of a / b.
func DivMod(a, b int64) (q, r int64) { return a / b, a % b }

// Area takes a type from a second fixture package.
func Area(p geom.Point) int64 { return p.X * p.Y }

// Scaled returns a new point scaled by k (a qualified result type).
func Scaled(p geom.Point, k int64) *geom.Point { return &geom.Point{X: p.X * k, Y: p.Y * k} }

// Label returns a label, or an error for negative n.
func Label(n int32) (string, error) {
	if n < 0 {
		return "", errors.New("negative")
	}
	return "n" + string(rune('0'+n%10)), nil
}

// Thing has a pointer-receiver and a value-receiver method.
type Thing struct{ N int64 }

// Scale multiplies t.N by k and returns the new value.
func (t *Thing) Scale(k int64) int64 {
	t.N *= k
	return t.N
}

// Get returns t.N.
func (t Thing) Get() int64 { return t.N }

// secret is unexported: only //go:linkname can reach it from outside.
func secret(x int64) int64 { return x + 1000 }

// hidden is unexported and returns an error, so its fallback returns an error.
func hidden(x int64) (int64, error) {
	if x < 0 {
		return 0, errors.New("negative")
	}
	return x * 3, nil
}

// Keep the unexported targets from being reported as unused.
var _, _ = secret, hidden
