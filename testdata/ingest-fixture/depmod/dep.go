// Package dep is a second module that the ingest fixture reaches through a replace directive.
package dep

import "time"

// Token is a value from another module.
type Token struct {
	ID   int
	Name string
}

// Source produces tokens.
type Source interface {
	Next() (Token, bool)
}

// Stamp has an exported field of a standard-library type.
type Stamp struct {
	At   time.Time
	note string
}
