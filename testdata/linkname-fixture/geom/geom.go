// Package geom gives the linkname fixture a qualified parameter type.
package geom

// Point is a 2-D point.
type Point struct{ X, Y int64 }
