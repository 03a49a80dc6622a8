// Package example is the module gobridge generates for when run without arguments: it has a
// channel-producing API, callbacks, a struct crossing as a handle, and a subpackage (tiny) for the
// TinyGo embedded profile.
package example

import (
	"strings"
	"sync"
)

// Event is something that happened.
type Event struct {
	Seq  int64
	Name string
}

// Counter counts events; it crosses the C boundary as a handle.
type Counter struct {
	mu sync.Mutex
	n  int64
}

// NewCounter returns a zeroed counter.
func NewCounter() *Counter { return &Counter{} }

// Add adds k and returns the new total.
func (c *Counter) Add(k int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += k
	return c.n
}

// Ticks sends the numbers 1..n on a buffered channel and closes it.
func Ticks(n int64) <-chan int64 {
	ch := make(chan int64, n)
	for i := int64(1); i <= n; i++ {
		ch <- i
	}
	close(ch)
	return ch
}

// Sum receives until the channel is closed and returns the total.
func Sum(in <-chan int64) int64 {
	var t int64
	for v := range in {
		t += v
	}
	return t
}

// Events streams named events.
func Events(names ...string) <-chan *Event {
	ch := make(chan *Event, len(names))
	for i, n := range names {
		ch <- &Event{Seq: int64(i + 1), Name: n}
	}
	close(ch)
	return ch
}

// CountIf calls keep for each number in [0, n) and counts the true answers.
func CountIf(n int64, keep func(int64) bool) int64 {
	var c int64
	for i := int64(0); i < n; i++ {
		if keep(i) {
			c++
		}
	}
	return c
}

// MapWords applies f to each word of s.
func MapWords(s string, f func(string) string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = f(w)
	}
	return strings.Join(words, " ")
}

// Double returns 2x.
func Double(x int64) int64 { return 2 * x }

// Adder returns a func that adds n: a C or Rust caller gets it as a func handle and calls it
// through the callback shim.
func Adder(n int64) func(int64) int64 {
	return func(x int64) int64 { return x + n }
}
