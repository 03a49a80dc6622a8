// Package generic has generic functions, types, methods and constraints.
package generic

import (
	"cmp"
	"fmt"
	"iter"
)

// Number is a type-set constraint.
type Number interface {
	~int | ~int64 | ~float64
}

// Named is a constraint with a method and a type set.
type Named interface {
	~string
	fmt.Stringer
	Name() string
}

// Sum adds numbers.
func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

// Max uses a constraint from the standard library.
func Max[T cmp.Ordered](a, b T) T { return max(a, b) }

// MapKeys uses an inline constraint and two type parameters.
func MapKeys[M ~map[K]V, K comparable, V any](m M) []K { return nil }

// Pair is a generic struct.
type Pair[K comparable, V any] struct {
	Key   K
	Value V
}

// Swap is a method on a generic type with a value receiver.
func (p Pair[K, V]) Swap() Pair[K, V] { return p }

// List is a generic linked list.
type List[T any] struct {
	head *node[T]
	Len  int
}

type node[T any] struct {
	val  T
	next *node[T]
}

// Push has a pointer receiver on a generic type.
func (l *List[T]) Push(v T) {}

// All iterates over the list.
func (l *List[T]) All() iter.Seq[T] { return nil }

// Stream is a generic channel type.
type Stream[T any] <-chan T

// Set is a generic alias.
type Set[T comparable] = map[T]struct{}

// Entries iterates over key/value pairs.
func Entries[K cmp.Ordered, V any](m map[K]V) iter.Seq2[K, V] { return nil }

// Apply takes a generic callback.
func Apply[T, U any](xs []T, f func(T) U) []U { return nil }
