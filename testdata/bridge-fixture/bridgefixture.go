// Package bridgefixture is the Go package the goroutine-bridge sentinel binds to: a module with
// a qualified, third-party-style import path whose types cross the cgo boundary as handles and
// whose funcs become callback handles.
package bridgefixture

import (
	"errors"
	"fmt"
	"sync/atomic"
)

// Thing is a struct that crosses the boundary as a handle (`*example.com/bridgefixture.Thing`).
type Thing struct {
	N    int64
	Name string
}

// NewThing returns a Thing holding n.
func NewThing(n int64) *Thing {
	return &Thing{N: n, Name: fmt.Sprintf("thing-%d", n)}
}

// MakeAdder returns a func that adds n (one argument, one result).
func MakeAdder(n int64) func(int64) int64 {
	return func(x int64) int64 { return x + n }
}

// Ticks counts calls of the funcs MakeTicker returns.
var Ticks atomic.Int64

// MakeTicker returns a func with no arguments and no results that bumps Ticks.
func MakeTicker() func() {
	return func() { Ticks.Add(1) }
}

// MakeDescriber returns a func with several arguments and results, including a string and an
// error: it fails when flag is false.
func MakeDescriber() func(string, float64, bool) (string, int64, error) {
	return func(s string, f float64, flag bool) (string, int64, error) {
		if !flag {
			return "", 0, errors.New("flag not set: " + s)
		}
		return fmt.Sprintf("%s=%g", s, f), int64(len(s)), nil
	}
}

// MakeSummer returns a variadic func: first plus the sum of rest.
func MakeSummer() func(int64, ...int64) int64 {
	return func(first int64, rest ...int64) int64 {
		for _, r := range rest {
			first += r
		}
		return first
	}
}

// MakeDoubler returns a func taking and returning a *Thing (handles both ways).
func MakeDoubler() func(*Thing) *Thing {
	return func(t *Thing) *Thing {
		if t == nil {
			return nil
		}
		return &Thing{N: 2 * t.N, Name: t.Name + "x2"}
	}
}

// MakePanicker returns a func(int64) int64 that panics with a message naming its argument.
func MakePanicker() func(int64) int64 {
	return func(x int64) int64 {
		panic(fmt.Sprintf("fixture panic %d", x))
	}
}
