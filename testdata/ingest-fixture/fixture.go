// Package fixture exercises go-ingest: channels, callbacks, embedding, aliases and unexported
// types reached from the exported API. More text follows the first sentence.
package fixture

import (
	"context"
	"io"
	"net/http"
	"sync"
	"unsafe"

	dep "example.com/ingestdep"
)

// MaxItems is a typed constant.
const MaxItems int = 64

// Untyped constants keep their exact values.
const (
	// Pi is an untyped float constant.
	Pi = 3.14159265358979323846264338327950288419716939937510582097494459
	// Greeting is an untyped string constant.
	Greeting = "hello, \"world\""
	Big      = 1 << 100
	hidden   = 1
)

// Mode is an enum-like type.
type Mode uint8

// Mode values.
const (
	ModeRead Mode = iota + 1
	ModeWrite
)

// DefaultClient is an exported variable of another package's type.
var DefaultClient *http.Client = http.DefaultClient

// Errs is a variable of a channel type.
var Errs chan<- error

// Ptr is an unsafe pointer variable.
var Ptr unsafe.Pointer

// Pipe returns the three directions of a channel.
func Pipe(buf int) (both chan int, recv <-chan int, send chan<- int) {
	c := make(chan int, buf)
	return c, c, c
}

// Nested uses channels of channels in every direction.
func Nested(a chan<- chan int, b chan (<-chan int), c <-chan <-chan struct{}) {}

// Walk calls visit for every item until it returns false.
func Walk(ctx context.Context, visit func(i int, name string) bool) (n int, err error) {
	return 0, nil
}

// Printf has a variadic last parameter.
func Printf(w io.Writer, format string, args ...any) error { return nil }

// Callback is a named func type.
type Callback func(ctx context.Context, data []byte) error

// Handler is an interface with an embedded interface and an unexported method.
type Handler interface {
	io.Closer
	// Handle handles one request.
	Handle(w http.ResponseWriter, r *http.Request)
	setup()
}

// ReadCloser embeds two interfaces.
type ReadCloser interface {
	io.Reader
	io.Closer
}

// Base is embedded into Server.
type Base struct {
	ID int `json:"id"`
}

// Hello has a value receiver.
func (b Base) Hello() string { return "" }

// Server embeds structs (exported, pointer, other module) and has tagged, unexported and
// anonymous-struct fields.
type Server struct {
	Base
	*http.Client
	dep.Token
	Name    string `json:"name,omitempty" xml:"name"`
	Headers map[string][]string
	OnEvent func(event string, payload any) (handled bool)
	Events  chan<- Event
	inner   *inner
	Limits  struct {
		Max int `json:"max"`
	}
}

// Start has a pointer receiver.
func (s *Server) Start(ctx context.Context) error { return nil }

// Stop has a value receiver.
func (s Server) Stop() {}

func (s *Server) hidden() {}

// Event is sent on Server.Events.
type Event struct {
	Kind string
	At   int64
}

type inner struct{ n int }

// Get returns a value.
func (i *inner) Get() int { return i.n }

// New returns an unexported type from an exported function.
func New() *inner { return &inner{} }

// Alias is an alias of a type in another package.
type Alias = http.Header

// LocalAlias aliases a local type.
type LocalAlias = Server

// TokenSource aliases a type of another module.
type TokenSource = dep.Source

// Ints is a slice type.
type Ints []int

// Matrix is an array type.
type Matrix [4][4]float64

// Lookup is a map type with a struct-valued element.
type Lookup map[string]struct{ A, b int }

// IntPtr is a pointer type.
type IntPtr *int

// Raw is an unsafe pointer type.
type Raw unsafe.Pointer

// Weird is a naïve “string” with escapes — its value keeps them exact.
const Weird = "tab\there\x01 é \u2028 <&>"

// Guarded has an unexported field of a package the exported API does not name.
type Guarded struct {
	Value int
	mu    sync.Mutex
}

// Stamp aliases a struct of another module; its exported field names time.Time.
type Stamp = dep.Stamp
