// Command typebench measures go/parser.ParseExpr and types.ExprString over a list of Go type
// expressions (one per line), the Go baseline for `cargo xtask bench types`.
//
// Usage: go run . FILE [MIN_MILLIS]
//
// Every line must parse (the caller writes the corpus in Go syntax, with package names instead
// of import paths). Output, one line per operation:
//
//	parse types=N bytes=B ns_per_type=X mb_per_s=Y
package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/types"
	"os"
	"strconv"
	"strings"
	"time"
)

var sink any

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "typebench:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 1 {
		return fmt.Errorf("usage: typebench FILE [MIN_MILLIS]")
	}
	min := time.Second
	if len(args) > 1 {
		ms, err := strconv.Atoi(args[1])
		if err != nil {
			return fmt.Errorf("MIN_MILLIS: %w", err)
		}
		min = time.Duration(ms) * time.Millisecond
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(lines) == 0 {
		return fmt.Errorf("%s: no lines", args[0])
	}
	bytes := 0
	exprs := make([]ast.Expr, len(lines))
	for i, l := range lines {
		bytes += len(l)
		e, err := parser.ParseExpr(l)
		if err != nil {
			return fmt.Errorf("line %d %q: %w", i+1, l, err)
		}
		exprs[i] = e
	}

	n, took := repeat(min, func() {
		for _, l := range lines {
			e, _ := parser.ParseExpr(l)
			sink = e
		}
	})
	report("parse", len(lines), bytes, n, took)

	n, took = repeat(min, func() {
		for _, e := range exprs {
			sink = types.ExprString(e)
		}
	})
	report("print", len(lines), bytes, n, took)
	return nil
}

// repeat runs f (one pass over the corpus) until min has passed.
func repeat(min time.Duration, f func()) (int, time.Duration) {
	f() // warm-up
	start := time.Now()
	n := 0
	for n == 0 || time.Since(start) < min {
		f()
		n++
	}
	return n, time.Since(start)
}

func report(op string, types, bytes, passes int, took time.Duration) {
	secs := took.Seconds()
	nsPerType := secs * 1e9 / float64(types*passes)
	mbPerS := float64(bytes*passes) / secs / 1e6
	fmt.Printf("%s types=%d bytes=%d ns_per_type=%.1f mb_per_s=%.1f\n", op, types, bytes, nsPerType, mbPerS)
}
