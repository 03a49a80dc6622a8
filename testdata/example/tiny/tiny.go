// Package tiny is a TinyGo-friendly package: only scalars, no reflection, no network.
package tiny

var touched int64

// Double returns 2x.
func Double(x int64) int64 { return 2 * x }

// Touch records x.
func Touch(x int64) { touched = x }

// Touched returns the last value given to Touch.
func Touched() int64 { return touched }

// Sum adds its arguments.
func Sum(xs ...int64) int64 {
	var t int64
	for _, x := range xs {
		t += x
	}
	return t
}

// DivMod returns the quotient and remainder.
func DivMod(a, b int64) (q, r int64) { return a / b, a % b }
