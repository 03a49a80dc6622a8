// Command go-ingest-helper is the Go half of gobridge's go-ingest. It is embedded in the Rust crate,
// built once per Go toolchain into a cache directory, and run by the Rust side; it is not meant to
// be run by hand.
//
// It runs `go list -e -json -export -deps` once for the requested patterns, loads every target
// package from the export data that `go list` compiled (it never type-checks from source), and
// writes lines to stdout, in compact JSON with exactly the field order and shape the Rust model
// serializes:
//
//  1. a header object: an error (and nothing more follows), or the inputs that fingerprint the
//     result;
//  2. the apisurface Surface document with an empty package list;
//  3. one Package object per line, in import path order, each written as soon as it is built so
//     that the reader can check it while later packages are still loading;
//  4. a trailer object: `{}`, or an error that voids everything before it.
//
// Go source files are only read to find doc comments.
//
// Usage: go-ingest-helper -go GO [-keep-going] [-progress] [-tags T] [-go-version V]
// [-generated-by G] PATTERN...
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/doc"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

const schemaVersion = 1

// ---- output model: field order and names match apisurface's serde model exactly ----

type Surface struct {
	SchemaVersion int       `json:"schema_version"`
	Module        string    `json:"module"`
	Version       string    `json:"version"`
	GoVersion     string    `json:"go_version"`
	GeneratedBy   string    `json:"generated_by"`
	Packages      []Package `json:"packages"`
}

type Package struct {
	ImportPath string     `json:"import_path"`
	Name       string     `json:"name"`
	IsMain     bool       `json:"is_main"`
	Doc        string     `json:"doc"`
	Imports    []string   `json:"imports"`
	Deps       []string   `json:"deps"`
	Funcs      []Func     `json:"funcs"`
	Types      []Type     `json:"types"`
	Consts     []Value    `json:"consts"`
	Vars       []Value    `json:"vars"`
	Skipped    []SkipNote `json:"skipped"`
}

type Func struct {
	Name            string      `json:"name"`
	Doc             string      `json:"doc"`
	Position        string      `json:"position"`
	Receiver        string      `json:"receiver"`
	ReceiverPointer bool        `json:"receiver_pointer"`
	Variadic        bool        `json:"variadic"`
	TypeParams      []TypeParam `json:"type_params"`
	Params          []Param     `json:"params"`
	Results         []Param     `json:"results"`
}

type Param struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type Type struct {
	Name             string      `json:"name"`
	Kind             string      `json:"kind"`
	Underlying       string      `json:"underlying"`
	AliasOf          string      `json:"alias_of"`
	TypeParams       []TypeParam `json:"type_params"`
	Fields           []Field     `json:"fields"`
	Methods          []Func      `json:"methods"`
	InterfaceMethods []Func      `json:"interface_methods"`
	EmbeddedTypes    []string    `json:"embedded_types"`
}

type Field struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Tag      string `json:"tag"`
	Exported bool   `json:"exported"`
	Embedded bool   `json:"embedded"`
}

type Value struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Const string `json:"const"`
	Doc   string `json:"doc"`
}

type TypeParam struct {
	Name       string `json:"name"`
	Constraint string `json:"constraint"`
}

type SkipNote struct {
	Symbol string `json:"symbol"`
	Reason string `json:"reason"`
}

// Header is the first output line.
type Header struct {
	Error  *Failure `json:"error,omitempty"`
	Inputs *Inputs  `json:"inputs,omitempty"`
}

// Failure is a classified error; Kind is one of no_match, compile, not_in_module,
// unsupported_platform, list, internal.
type Failure struct {
	Kind    string `json:"kind"`
	Pattern string `json:"pattern"`
	Package string `json:"package"`
	Message string `json:"message"`
}

// Inputs names what the result depends on, for the Rust side's fingerprint.
type Inputs struct {
	Dirs  []string `json:"dirs"`
	Files []string `json:"files"`
}

// ---- go list ----

type listError struct {
	Err string
}

type listModule struct {
	Path    string
	Version string
	Main    bool
	GoMod   string
}

type listPackage struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string
	CgoFiles   []string
	Export     string
	Match      []string
	DepOnly    bool
	Standard   bool
	Deps       []string
	Module     *listModule
	Error      *listError
	DepsErrors []*listError
}

func main() {
	goBin := flag.String("go", "go", "go binary")
	keepGoing := flag.Bool("keep-going", false, "record packages that fail to compile as skipped")
	progress := flag.Bool("progress", false, "write progress lines to stderr")
	tags := flag.String("tags", "", "build tags for go list")
	goVersion := flag.String("go-version", "", "value for Surface.go_version")
	generatedBy := flag.String("generated-by", "", "value for Surface.generated_by")
	flag.Parse()
	patterns := flag.Args()
	// A short-lived batch process: collecting garbage costs more than the memory it frees
	// (about 100 MB for all of std). The limit still makes the GC run for huge inputs.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(1 << 30)

	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	job, fail := plan(*goBin, *tags, patterns, *keepGoing)
	if fail != nil {
		writeJSON(out, Header{Error: fail})
		return
	}
	job.surface.GoVersion = *goVersion
	job.surface.GeneratedBy = *generatedBy
	writeJSON(out, Header{Inputs: job.inputs})
	job.start(*progress)
	writeJSON(out, job.stream(out, *keepGoing))
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(os.Stderr, "go-ingest-helper: encoding output: %v\n", err)
		os.Exit(3)
	}
}

func isWildcard(pattern string) bool {
	return strings.Contains(pattern, "...") || pattern == "std" || pattern == "all" || pattern == "cmd"
}

// excludedStd reports whether a standard-library package matched only by wildcards is left out.
func excludedStd(p *listPackage) bool {
	if !p.Standard {
		return false
	}
	for _, m := range p.Match {
		if !isWildcard(m) {
			return false
		}
	}
	if strings.HasPrefix(p.ImportPath, "vendor/") || strings.HasPrefix(p.ImportPath, "cmd/") || p.Name == "main" {
		return true
	}
	for _, el := range strings.Split(p.ImportPath, "/") {
		if el == "internal" {
			return true
		}
	}
	return false
}

func firstMatch(p *listPackage) string {
	if len(p.Match) > 0 {
		return p.Match[0]
	}
	return p.ImportPath
}

// classify turns a target package's go list error into a Failure kind.
func classify(msg string) string {
	switch {
	case strings.Contains(msg, "go.mod file not found"),
		strings.Contains(msg, "does not contain main module"),
		strings.Contains(msg, "outside main module"):
		return "not_in_module"
	case strings.Contains(msg, "no such file or directory"),
		strings.Contains(msg, "no required module provides package"),
		strings.Contains(msg, "is not in std"),
		strings.Contains(msg, "cannot find package"),
		strings.Contains(msg, "matched no packages"),
		strings.Contains(msg, "no Go files in"),
		strings.Contains(msg, "build constraints exclude all Go files"),
		strings.Contains(msg, "malformed import path"),
		strings.Contains(msg, "invalid import path"):
		return "no_match"
	}
	return "compile"
}

// runList runs go list and decodes its packages while it is still writing them. It returns the
// packages, a decoding error, and go list's own error.
func runList(goBin string, args []string, stderr *bytes.Buffer) ([]*listPackage, error, error) {
	cmd := exec.Command(goBin, args...)
	cmd.Stderr = stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	var all []*listPackage
	var decodeErr error
	dec := json.NewDecoder(pipe)
	for {
		p := new(listPackage)
		if err := dec.Decode(p); err == io.EOF {
			break
		} else if err != nil {
			decodeErr = err
			// Let go list finish writing.
			_, _ = io.Copy(io.Discard, pipe)
			break
		}
		all = append(all, p)
	}
	return all, decodeErr, cmd.Wait()
}

// work is what is left after go list: the targets in output order and their result slots.
type work struct {
	surface *Surface // head fields only; packages are streamed
	inputs  *Inputs
	targets []*listPackage
	slots   []slot
	exports map[string]string
}

// plan runs go list and decides the targets; a failure here is reported before any output.
func plan(goBin, tags string, patterns []string, keepGoing bool) (*work, *Failure) {
	if len(patterns) == 0 {
		return nil, &Failure{Kind: "no_match", Message: "no package patterns given"}
	}
	args := []string{"list", "-e", "-json=ImportPath,Name,Dir,GoFiles,CgoFiles,Export,Match,DepOnly,Standard,Deps,Module,Error,DepsErrors", "-export", "-deps"}
	if tags != "" {
		args = append(args, "-tags="+tags)
	}
	args = append(args, patterns...)
	var stderr bytes.Buffer
	all, decodeErr, err := runList(goBin, args, &stderr)
	errText := strings.TrimSpace(stderr.String())
	if err != nil {
		kind := "list"
		switch {
		case strings.Contains(errText, "unsupported GOOS/GOARCH"):
			kind = "unsupported_platform"
		case strings.Contains(errText, "go.mod file not found"), strings.Contains(errText, "does not contain main module"):
			kind = "not_in_module"
		case strings.Contains(errText, "matched no packages"):
			kind = "no_match"
		}
		if errText == "" {
			errText = err.Error()
		}
		return nil, &Failure{Kind: kind, Pattern: strings.Join(patterns, " "), Message: errText}
	}
	// go list reports a pattern without packages only as a warning on stderr.
	for _, line := range strings.Split(errText, "\n") {
		if strings.Contains(line, "matched no packages") {
			pat := line
			if i := strings.Index(line, "\""); i >= 0 {
				if j := strings.Index(line[i+1:], "\""); j >= 0 {
					pat = line[i+1 : i+1+j]
				}
			}
			return nil, &Failure{Kind: "no_match", Pattern: pat, Message: strings.TrimSpace(line)}
		}
	}

	if decodeErr != nil {
		return nil, &Failure{Kind: "internal", Message: "decoding go list output: " + decodeErr.Error()}
	}

	exports := make(map[string]string, len(all))
	var targets []*listPackage
	dirSet := map[string]bool{}
	fileSet := map[string]bool{}
	for _, p := range all {
		if p.Export != "" {
			exports[p.ImportPath] = p.Export
		}
		if p.Dir != "" {
			dirSet[p.Dir] = true
		}
		if p.Module != nil && p.Module.GoMod != "" {
			fileSet[p.Module.GoMod] = true
			if p.Module.Main {
				fileSet[filepath.Join(filepath.Dir(p.Module.GoMod), "go.sum")] = true
			}
		}
		if p.DepOnly || excludedStd(p) {
			continue
		}
		targets = append(targets, p)
	}
	if len(targets) == 0 {
		return nil, &Failure{Kind: "no_match", Pattern: strings.Join(patterns, " "), Message: "patterns matched no packages: " + strings.Join(patterns, " ")}
	}
	sort.Slice(targets, func(i, j int) bool { return targets[i].ImportPath < targets[j].ImportPath })

	// Pass 1: errors go list already reported, in target order.
	slots := make([]slot, len(targets))
	for i, p := range targets {
		var msg string
		if p.Error != nil {
			msg = strings.TrimSpace(p.Error.Err)
			if kind := classify(msg); kind != "compile" {
				return nil, &Failure{Kind: kind, Pattern: firstMatch(p), Package: p.ImportPath, Message: msg}
			}
		} else if p.Export == "" && p.ImportPath != "unsafe" {
			var parts []string
			for _, e := range p.DepsErrors {
				parts = append(parts, strings.TrimSpace(e.Err))
			}
			msg = "dependency failed: " + strings.Join(parts, "\n")
			if len(parts) == 0 {
				msg = "go list produced no export data"
			}
		}
		if msg != "" && !keepGoing {
			return nil, &Failure{Kind: "compile", Pattern: firstMatch(p), Package: p.ImportPath, Message: msg}
		}
		slots[i].err = msg
		slots[i].done = make(chan struct{})
	}
	s := &Surface{SchemaVersion: schemaVersion, Packages: []Package{}}
	setModule(s, targets)
	in := &Inputs{Dirs: sortedKeys(dirSet), Files: sortedKeys(fileSet)}
	return &work{surface: s, inputs: in, targets: targets, slots: slots, exports: exports}, nil
}

// start loads the targets in the background.
func (j *work) start(progress bool) {
	targets, slots, exports := j.targets, j.slots, j.exports
	// Pass 2: load export data and build packages on a few workers. Each worker has its own
	// importer (go/types objects are never shared between workers) and takes runs of
	// neighbouring targets, which tend to share dependencies. The same worker then reads the
	// doc comments and writes the package's JSON.
	const chunk = 8
	var next, loaded atomic.Int64
	workers := runtime.GOMAXPROCS(0)
	if workers > 4 {
		workers = 4
	}
	for w := 0; w < workers; w++ {
		go func() {
			fset := token.NewFileSet()
			imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
				f, ok := exports[path]
				if !ok {
					return nil, fmt.Errorf("no export data for %q", path)
				}
				return os.Open(f)
			})
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(targets) {
					return
				}
				for i := lo; i < lo+chunk && i < len(targets); i++ {
					loadSlot(&slots[i], targets[i], imp, fset)
					close(slots[i].done)
					if progress {
						fmt.Fprintf(os.Stderr, "progress %d %d\n", loaded.Add(1), len(targets))
					}
				}
			}
		}()
	}
}

// stream writes the surface head, then each target's package as soon as it and all before it
// are loaded, and returns the trailer.
func (j *work) stream(out *bufio.Writer, keepGoing bool) Header {
	mustWrite(out.Write(append(j.surface.appendJSON(nil), '\n')))
	for i, p := range j.targets {
		sl := &j.slots[i]
		select {
		case <-sl.done:
		default:
			// Hand the reader what is ready before waiting.
			mustWrite(0, out.Flush())
			<-sl.done
		}
		if sl.err != "" && !keepGoing {
			return Header{Error: &Failure{Kind: "compile", Pattern: firstMatch(p), Package: p.ImportPath, Message: sl.err}}
		}
		mustWrite(out.Write(sl.json))
		mustWrite(0, out.WriteByte('\n'))
		sl.json = nil
	}
	return Header{}
}

func mustWrite(_ int, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-ingest-helper: writing output: %v\n", err)
		os.Exit(3)
	}
}

// slot is one target's result.
type slot struct {
	json []byte // the package's output line: its surface, or its skipped form when err is set
	err  string
	done chan struct{} // closed once the slot is final
}

// loadSlot loads one target from export data, builds its surface and docs and writes its JSON,
// unless go list already reported an error for it.
func loadSlot(sl *slot, p *listPackage, imp types.Importer, fset *token.FileSet) {
	if sl.err == "" {
		sl.json, sl.err = packageJSON(p, imp, fset)
	}
	if sl.err != "" {
		pk := skippedPackage(p, sl.err)
		sl.json = pk.appendJSON(nil)
	}
}

// packageJSON loads one package and returns its surface as JSON, or why it could not be loaded.
func packageJSON(p *listPackage, imp types.Importer, fset *token.FileSet) ([]byte, string) {
	tpkg := types.Unsafe
	if p.ImportPath != "unsafe" {
		var err error
		if tpkg, err = imp.Import(p.ImportPath); err != nil {
			return nil, "loading export data: " + err.Error()
		}
	}
	pkg, docs := buildPackage(p, tpkg, fset)
	docs.run()
	docs.fill(&pkg)
	return pkg.appendJSON(make([]byte, 0, 1<<12)), ""
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// setModule fills Surface.module and version: `std` when every target is in the standard
// library, else the module that holds the targets (the main module when it holds any).
func setModule(s *Surface, targets []*listPackage) {
	allStd := true
	var first, main *listModule
	for _, p := range targets {
		if !p.Standard {
			allStd = false
		}
		if p.Module != nil {
			if first == nil {
				first = p.Module
			}
			if p.Module.Main && main == nil {
				main = p.Module
			}
		}
	}
	switch {
	case allStd:
		s.Module = "std"
	case main != nil:
		s.Module = main.Path
	case first != nil:
		s.Module, s.Version = first.Path, first.Version
	}
}

func skippedPackage(p *listPackage, reason string) Package {
	pk := emptyPackage(p)
	pk.Skipped = append(pk.Skipped, SkipNote{Symbol: p.ImportPath, Reason: reason})
	return pk
}

func emptyPackage(p *listPackage) Package {
	deps := p.Deps
	if deps == nil {
		deps = []string{}
	}
	return Package{
		ImportPath: p.ImportPath,
		Name:       p.Name,
		IsMain:     p.Name == "main",
		Imports:    []string{},
		Deps:       deps,
		Funcs:      []Func{},
		Types:      []Type{},
		Consts:     []Value{},
		Vars:       []Value{},
		Skipped:    []SkipNote{},
	}
}

// ---- building one package ----

type builder struct {
	pkg     *types.Package
	fset    *token.FileSet
	qual    types.Qualifier
	imports map[string]bool
	strs    map[types.Type]string // type strings already written, by type identity
	docs    *docJob
}

// buildPackage builds one package's surface; its doc strings are placeholders that the
// returned job resolves.
func buildPackage(p *listPackage, tpkg *types.Package, fset *token.FileSet) (Package, *docJob) {
	out := emptyPackage(p)
	b := &builder{
		pkg:     tpkg,
		fset:    fset,
		imports: map[string]bool{},
		strs:    map[types.Type]string{},
		docs:    &docJob{path: p.ImportPath, list: p},
	}
	b.qual = func(other *types.Package) string {
		if other == tpkg {
			return ""
		}
		return other.Path()
	}
	scope := tpkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch o := obj.(type) {
		case *types.Func:
			sig := o.Type().(*types.Signature)
			f := b.fn(o, sig)
			f.TypeParams = b.typeParams(sig.TypeParams())
			b.useSignature(sig)
			b.useTypeParams(sig.TypeParams())
			out.Funcs = append(out.Funcs, f)
		case *types.TypeName:
			out.Types = append(out.Types, b.typeDecl(o))
		case *types.Const:
			b.use(o.Type())
			out.Consts = append(out.Consts, Value{Name: name, Type: b.str(o.Type()), Const: o.Val().ExactString(), Doc: b.docOf(o)})
		case *types.Var:
			b.use(o.Type())
			out.Vars = append(out.Vars, Value{Name: name, Type: b.str(o.Type()), Doc: b.docOf(o)})
		case *types.Builtin:
			out.Skipped = append(out.Skipped, SkipNote{Symbol: name, Reason: "builtin function without a Go signature"})
		default:
			out.Skipped = append(out.Skipped, SkipNote{Symbol: name, Reason: fmt.Sprintf("unsupported object kind %T", obj)})
		}
	}
	delete(b.imports, tpkg.Path())
	out.Imports = sortedKeys(b.imports)
	return out, b.docs
}

func (b *builder) str(t types.Type) string {
	s, ok := b.strs[t]
	if !ok {
		s = types.TypeString(t, b.qual)
		b.strs[t] = s
	}
	return s
}

func (b *builder) position(obj types.Object) string {
	pos := b.fset.Position(obj.Pos())
	if !pos.IsValid() {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", filepath.Base(pos.Filename), pos.Line, pos.Column)
}

func (b *builder) docOf(obj types.Object) string {
	pos := b.fset.Position(obj.Pos())
	if !pos.IsValid() {
		return ""
	}
	return b.docs.request(pos.Filename, pos.Line)
}

func (b *builder) tuple(t *types.Tuple, variadic bool) []Param {
	out := make([]Param, 0, t.Len())
	for i := 0; i < t.Len(); i++ {
		v := t.At(i)
		ts := b.str(v.Type())
		if variadic && i == t.Len()-1 {
			if sl, ok := v.Type().(*types.Slice); ok {
				ts = "..." + b.str(sl.Elem())
			}
		}
		out = append(out, Param{Name: v.Name(), Type: ts})
	}
	return out
}

func (b *builder) fn(obj *types.Func, sig *types.Signature) Func {
	return Func{
		Name:       obj.Name(),
		Doc:        b.docOf(obj),
		Position:   b.position(obj),
		Variadic:   sig.Variadic(),
		TypeParams: []TypeParam{},
		Params:     b.tuple(sig.Params(), sig.Variadic()),
		Results:    b.tuple(sig.Results(), false),
	}
}

func (b *builder) typeParams(l *types.TypeParamList) []TypeParam {
	out := make([]TypeParam, 0, l.Len())
	for i := 0; i < l.Len(); i++ {
		tp := l.At(i)
		out = append(out, TypeParam{Name: tp.Obj().Name(), Constraint: b.str(tp.Constraint())})
	}
	return out
}

func kindOf(t types.Type) string {
	switch t.(type) {
	case *types.Struct:
		return "struct"
	case *types.Interface:
		return "interface"
	case *types.Signature:
		return "func"
	case *types.Map:
		return "map"
	case *types.Slice:
		return "slice"
	case *types.Array:
		return "array"
	case *types.Chan:
		return "chan"
	case *types.Pointer:
		return "pointer"
	case *types.Basic:
		return "basic"
	}
	return "other"
}

func (b *builder) typeDecl(obj *types.TypeName) Type {
	t := Type{
		Name:             obj.Name(),
		TypeParams:       []TypeParam{},
		Fields:           []Field{},
		Methods:          []Func{},
		InterfaceMethods: []Func{},
		EmbeddedTypes:    []string{},
	}
	if obj.IsAlias() {
		t.Kind = "alias"
		rhs := obj.Type()
		if a, ok := obj.Type().(*types.Alias); ok {
			rhs = a.Rhs()
			t.TypeParams = b.typeParams(a.TypeParams())
			b.useTypeParams(a.TypeParams())
		}
		t.AliasOf = b.str(rhs)
		t.Underlying = b.str(obj.Type().Underlying())
		b.use(rhs)
		b.useUnderlying(obj.Type().Underlying())
		return t
	}
	named, ok := obj.Type().(*types.Named)
	if !ok {
		// A predeclared-like type name without a Named type; record its type only.
		t.Kind = kindOf(obj.Type().Underlying())
		t.Underlying = b.str(obj.Type().Underlying())
		return t
	}
	under := named.Underlying()
	t.Kind = kindOf(under)
	t.Underlying = b.str(under)
	t.TypeParams = b.typeParams(named.TypeParams())
	b.useTypeParams(named.TypeParams())
	switch u := under.(type) {
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			t.Fields = append(t.Fields, Field{Name: f.Name(), Type: b.str(f.Type()), Tag: u.Tag(i), Exported: f.Exported(), Embedded: f.Embedded()})
			if f.Embedded() {
				t.EmbeddedTypes = append(t.EmbeddedTypes, b.str(f.Type()))
			}
		}
	case *types.Interface:
		for i := 0; i < u.NumEmbeddeds(); i++ {
			e := u.EmbeddedType(i)
			t.EmbeddedTypes = append(t.EmbeddedTypes, b.str(e))
		}
		for i := 0; i < u.NumExplicitMethods(); i++ {
			m := u.ExplicitMethod(i)
			if !m.Exported() {
				continue
			}
			sig := m.Type().(*types.Signature)
			t.InterfaceMethods = append(t.InterfaceMethods, b.fn(m, sig))
		}
		sort.Slice(t.InterfaceMethods, func(i, j int) bool { return t.InterfaceMethods[i].Name < t.InterfaceMethods[j].Name })
	}
	b.useUnderlying(under)
	for i := 0; i < named.NumMethods(); i++ {
		m := named.Method(i)
		if !m.Exported() {
			continue
		}
		sig := m.Type().(*types.Signature)
		f := b.fn(m, sig)
		f.Receiver = obj.Name()
		if recv := sig.Recv(); recv != nil {
			_, f.ReceiverPointer = recv.Type().(*types.Pointer)
		}
		f.TypeParams = b.typeParams(sig.RecvTypeParams())
		b.useSignature(sig)
		t.Methods = append(t.Methods, f)
	}
	sort.Slice(t.Methods, func(i, j int) bool { return t.Methods[i].Name < t.Methods[j].Name })
	return t
}

// ---- imports: packages named by the exported surface ----

func (b *builder) useSignature(sig *types.Signature) {
	for _, tup := range []*types.Tuple{sig.Params(), sig.Results()} {
		for i := 0; i < tup.Len(); i++ {
			b.use(tup.At(i).Type())
		}
	}
}

// useUnderlying records the packages an underlying type names, by the model's rule: for a
// struct its exported and embedded fields, for an interface its embedded elements and exported
// explicit methods, otherwise the whole type.
func (b *builder) useUnderlying(under types.Type) {
	switch u := under.(type) {
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if f := u.Field(i); f.Exported() || f.Embedded() {
				b.use(f.Type())
			}
		}
	case *types.Interface:
		for i := 0; i < u.NumEmbeddeds(); i++ {
			b.use(u.EmbeddedType(i))
		}
		for i := 0; i < u.NumExplicitMethods(); i++ {
			if m := u.ExplicitMethod(i); m.Exported() {
				b.useSignature(m.Type().(*types.Signature))
			}
		}
	default:
		b.use(under)
	}
}

func (b *builder) useTypeParams(l *types.TypeParamList) {
	for i := 0; i < l.Len(); i++ {
		b.use(l.At(i).Constraint())
	}
}

func (b *builder) addPkg(p *types.Package) {
	if p != nil {
		b.imports[p.Path()] = true
	}
}

// use records the packages a type string names: the packages of named types and aliases (not
// looking through them), and `unsafe` for unsafe.Pointer.
func (b *builder) use(t types.Type) {
	switch t := t.(type) {
	case nil:
	case *types.Basic:
		if t.Kind() == types.UnsafePointer {
			b.imports["unsafe"] = true
		}
	case *types.Alias:
		b.addPkg(t.Obj().Pkg())
		if args := t.TypeArgs(); args != nil {
			for i := 0; i < args.Len(); i++ {
				b.use(args.At(i))
			}
		}
	case *types.Named:
		b.addPkg(t.Obj().Pkg())
		if args := t.TypeArgs(); args != nil {
			for i := 0; i < args.Len(); i++ {
				b.use(args.At(i))
			}
		}
	case *types.Pointer:
		b.use(t.Elem())
	case *types.Slice:
		b.use(t.Elem())
	case *types.Array:
		b.use(t.Elem())
	case *types.Map:
		b.use(t.Key())
		b.use(t.Elem())
	case *types.Chan:
		b.use(t.Elem())
	case *types.Signature:
		b.useSignature(t)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			b.use(t.Field(i).Type())
		}
	case *types.Interface:
		for i := 0; i < t.NumEmbeddeds(); i++ {
			b.use(t.EmbeddedType(i))
		}
		for i := 0; i < t.NumExplicitMethods(); i++ {
			b.useSignature(t.ExplicitMethod(i).Type().(*types.Signature))
		}
	case *types.Union:
		for i := 0; i < t.Len(); i++ {
			b.use(t.Term(i).Type())
		}
	case *types.Tuple:
		for i := 0; i < t.Len(); i++ {
			b.use(t.At(i).Type())
		}
	case *types.TypeParam:
		// Named by its own declaration; its constraint is recorded there.
	}
}

// ---- docs: comment text found by reading (never type-checking) source files ----

// packageDoc is the synopsis of the first package comment, in file name order.
func (d *docJob) packageDoc() string {
	p := d.list
	files := append(append([]string{}, p.GoFiles...), p.CgoFiles...)
	sort.Strings(files)
	fset := token.NewFileSet()
	for _, name := range files {
		src := d.source(name)
		if src == nil {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), src.data, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil || f.Doc == nil {
			continue
		}
		if s := synopsis(f.Doc.Text()); s != "" {
			return s
		}
	}
	return ""
}

func synopsis(text string) string {
	return new(doc.Package).Synopsis(text)
}

// docJob holds one package's doc requests and, once run, their synopses.
type docJob struct {
	path    string
	list    *listPackage
	reqs    []docReq
	pkgDoc  string
	results []string
	files   map[string]*srcFile
	// synopses caches synopsis by comment text while the job runs.
	synopses map[string]string
}

// srcFile is a source file read once per package for its doc comments.
type srcFile struct {
	data   []byte
	starts []int // where each line starts; indexed on first use
}

// lineCount is the number of lines, counting the text after the last newline as one.
func (f *srcFile) lineCount() int {
	if f.starts == nil {
		f.starts = make([]int, 1, 1+len(f.data)/32)
		for i := 0; ; {
			k := bytes.IndexByte(f.data[i:], '\n')
			if k < 0 {
				break
			}
			i += k + 1
			f.starts = append(f.starts, i)
		}
	}
	return len(f.starts)
}

// line is line i (0-based) without its newline.
func (f *srcFile) line(i int) []byte {
	return f.data[f.starts[i]:f.lineEnd(i)]
}

// lineEnd is the offset just past line i's text (before its newline).
func (f *srcFile) lineEnd(i int) int {
	if i+1 < len(f.starts) {
		return f.starts[i+1] - 1
	}
	return len(f.data)
}

// source reads a file of the package once; nil when it cannot be read.
func (d *docJob) source(name string) *srcFile {
	if f, ok := d.files[name]; ok {
		return f
	}
	var f *srcFile
	if data, err := os.ReadFile(filepath.Join(d.list.Dir, name)); err == nil {
		f = &srcFile{data: data}
	}
	d.files[name] = f
	return f
}

type docReq struct {
	file string
	line int
}

// request records a doc lookup and returns a placeholder for it (a NUL byte and an index; no
// real synopsis starts with NUL).
func (d *docJob) request(file string, line int) string {
	d.reqs = append(d.reqs, docReq{file, line})
	return "\x00" + strconv.Itoa(len(d.reqs)-1)
}

func (d *docJob) run() {
	d.files = map[string]*srcFile{}
	d.synopses = map[string]string{}
	d.pkgDoc = d.packageDoc()
	d.results = make([]string, len(d.reqs))
	for i, r := range d.reqs {
		d.results[i] = d.synopsisAt(r.file, r.line)
	}
	d.files, d.synopses = nil, nil
}

// fill replaces the placeholders in pk with the synopses.
func (d *docJob) fill(pk *Package) {
	pk.Doc = d.pkgDoc
	resolve := func(s *string) {
		if strings.HasPrefix(*s, "\x00") {
			if i, err := strconv.Atoi((*s)[1:]); err == nil && i < len(d.results) {
				*s = d.results[i]
				return
			}
			*s = ""
		}
	}
	for i := range pk.Funcs {
		resolve(&pk.Funcs[i].Doc)
	}
	for i := range pk.Types {
		t := &pk.Types[i]
		for k := range t.Methods {
			resolve(&t.Methods[k].Doc)
		}
		for k := range t.InterfaceMethods {
			resolve(&t.InterfaceMethods[k].Doc)
		}
	}
	for i := range pk.Consts {
		resolve(&pk.Consts[i].Doc)
	}
	for i := range pk.Vars {
		resolve(&pk.Vars[i].Doc)
	}
}

// synopsisAt finds the comment block directly above line (1-based) of file and returns its
// synopsis. A declaration inside a group without its own comment takes the group's comment.
func (d *docJob) synopsisAt(file string, line int) string {
	// Export data may name files with a rewritten prefix ($GOROOT, trimmed paths); a package's
	// files all live in its directory.
	src := d.source(filepath.Base(file))
	if src == nil {
		return ""
	}
	if line < 1 || line > src.lineCount() {
		return ""
	}
	text := commentAbove(src, line-1)
	if text == "" {
		// Inside a group without a comment of its own: take the group's comment. Walk up over
		// indented lines to the unindented `const (`, `var (` or `type (` line.
		for i := line - 2; i >= 0; i-- {
			l := src.line(i)
			if len(l) == 0 || l[0] == '\t' || l[0] == ' ' {
				continue
			}
			if t := string(bytes.TrimSpace(l)); t == "const (" || t == "var (" || t == "type (" {
				text = commentAbove(src, i)
			}
			break
		}
	}
	if text == "" {
		return ""
	}
	// Declarations in a group share its comment.
	syn, ok := d.synopses[text]
	if !ok {
		syn = synopsis(text)
		d.synopses[text] = syn
	}
	return syn
}

// commentAbove returns the text of the comment lines ending right above line i (0-based).
func commentAbove(src *srcFile, i int) string {
	j := i - 1
	if j < 0 {
		return ""
	}
	last := bytes.TrimSpace(src.line(j))
	if bytes.HasSuffix(last, []byte("*/")) && !bytes.HasPrefix(last, []byte("//")) {
		// A block comment: from the line that opens it through line j.
		for ; j >= 0; j-- {
			if bytes.Contains(src.line(j), []byte("/*")) {
				break
			}
		}
		if j < 0 {
			return ""
		}
		text := bytes.TrimSpace(src.data[src.starts[j]:src.lineEnd(i-1)])
		text = bytes.TrimPrefix(text, []byte("/*"))
		text = bytes.TrimSuffix(text, []byte("*/"))
		return string(bytes.TrimSpace(text))
	}
	top := j + 1 // the first line of the run of line comments
	for ; j >= 0; j-- {
		if !bytes.HasPrefix(bytes.TrimSpace(src.line(j)), []byte("//")) {
			break
		}
		top = j
	}
	var sb strings.Builder
	for k := top; k < i; k++ {
		l := string(bytes.TrimSpace(src.line(k)))
		if strings.HasPrefix(l, "//go:") || strings.HasPrefix(l, "//line ") || strings.HasPrefix(l, "//export ") || strings.HasPrefix(l, "//extern ") {
			continue
		}
		l = strings.TrimPrefix(l, "//")
		l = strings.TrimPrefix(l, " ")
		sb.WriteString(l)
		sb.WriteByte('\n')
	}
	return strings.TrimSpace(sb.String())
}

// ---- JSON: the Surface is written by hand in exactly the form serde_json gives the Rust model
// (field order, escaping), so the Rust side's byte-for-byte schema check takes its fast path. ----

const hexDigits = "0123456789abcdef"

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"':
				b = append(b, '\\', '"')
			case c == '\\':
				b = append(b, '\\', '\\')
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func appendKey(b []byte, first bool, key string) []byte {
	if !first {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

func appendList[T any](b []byte, xs []T, each func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(b, x)
	}
	return append(b, ']')
}

func (s *Surface) appendJSON(b []byte) []byte {
	b = append(b, '{')
	b = appendKey(b, true, "schema_version")
	b = strconv.AppendInt(b, int64(s.SchemaVersion), 10)
	b = appendString(appendKey(b, false, "module"), s.Module)
	b = appendString(appendKey(b, false, "version"), s.Version)
	b = appendString(appendKey(b, false, "go_version"), s.GoVersion)
	b = appendString(appendKey(b, false, "generated_by"), s.GeneratedBy)
	b = appendList(appendKey(b, false, "packages"), s.Packages, func(b []byte, p Package) []byte { return p.appendJSON(b) })
	return append(b, '}')
}

func (p *Package) appendJSON(b []byte) []byte {
	b = append(b, '{')
	b = appendString(appendKey(b, true, "import_path"), p.ImportPath)
	b = appendString(appendKey(b, false, "name"), p.Name)
	b = appendBool(appendKey(b, false, "is_main"), p.IsMain)
	b = appendString(appendKey(b, false, "doc"), p.Doc)
	b = appendList(appendKey(b, false, "imports"), p.Imports, appendString)
	b = appendList(appendKey(b, false, "deps"), p.Deps, appendString)
	b = appendList(appendKey(b, false, "funcs"), p.Funcs, func(b []byte, f Func) []byte { return f.appendJSON(b) })
	b = appendList(appendKey(b, false, "types"), p.Types, func(b []byte, t Type) []byte { return t.appendJSON(b) })
	b = appendList(appendKey(b, false, "consts"), p.Consts, func(b []byte, v Value) []byte { return v.appendJSON(b) })
	b = appendList(appendKey(b, false, "vars"), p.Vars, func(b []byte, v Value) []byte { return v.appendJSON(b) })
	b = appendList(appendKey(b, false, "skipped"), p.Skipped, func(b []byte, n SkipNote) []byte {
		b = append(b, '{')
		b = appendString(appendKey(b, true, "symbol"), n.Symbol)
		b = appendString(appendKey(b, false, "reason"), n.Reason)
		return append(b, '}')
	})
	return append(b, '}')
}

func (f *Func) appendJSON(b []byte) []byte {
	b = append(b, '{')
	b = appendString(appendKey(b, true, "name"), f.Name)
	b = appendString(appendKey(b, false, "doc"), f.Doc)
	b = appendString(appendKey(b, false, "position"), f.Position)
	b = appendString(appendKey(b, false, "receiver"), f.Receiver)
	b = appendBool(appendKey(b, false, "receiver_pointer"), f.ReceiverPointer)
	b = appendBool(appendKey(b, false, "variadic"), f.Variadic)
	b = appendList(appendKey(b, false, "type_params"), f.TypeParams, appendTypeParam)
	b = appendList(appendKey(b, false, "params"), f.Params, appendParam)
	b = appendList(appendKey(b, false, "results"), f.Results, appendParam)
	return append(b, '}')
}

func appendParam(b []byte, p Param) []byte {
	b = append(b, '{')
	b = appendString(appendKey(b, true, "name"), p.Name)
	b = appendString(appendKey(b, false, "type"), p.Type)
	return append(b, '}')
}

func appendTypeParam(b []byte, p TypeParam) []byte {
	b = append(b, '{')
	b = appendString(appendKey(b, true, "name"), p.Name)
	b = appendString(appendKey(b, false, "constraint"), p.Constraint)
	return append(b, '}')
}

func (t *Type) appendJSON(b []byte) []byte {
	b = append(b, '{')
	b = appendString(appendKey(b, true, "name"), t.Name)
	b = appendString(appendKey(b, false, "kind"), t.Kind)
	b = appendString(appendKey(b, false, "underlying"), t.Underlying)
	b = appendString(appendKey(b, false, "alias_of"), t.AliasOf)
	b = appendList(appendKey(b, false, "type_params"), t.TypeParams, appendTypeParam)
	b = appendList(appendKey(b, false, "fields"), t.Fields, func(b []byte, f Field) []byte {
		b = append(b, '{')
		b = appendString(appendKey(b, true, "name"), f.Name)
		b = appendString(appendKey(b, false, "type"), f.Type)
		b = appendString(appendKey(b, false, "tag"), f.Tag)
		b = appendBool(appendKey(b, false, "exported"), f.Exported)
		b = appendBool(appendKey(b, false, "embedded"), f.Embedded)
		return append(b, '}')
	})
	b = appendList(appendKey(b, false, "methods"), t.Methods, func(b []byte, f Func) []byte { return f.appendJSON(b) })
	b = appendList(appendKey(b, false, "interface_methods"), t.InterfaceMethods, func(b []byte, f Func) []byte { return f.appendJSON(b) })
	b = appendList(appendKey(b, false, "embedded_types"), t.EmbeddedTypes, appendString)
	return append(b, '}')
}

func (v *Value) appendJSON(b []byte) []byte {
	b = append(b, '{')
	b = appendString(appendKey(b, true, "name"), v.Name)
	b = appendString(appendKey(b, false, "type"), v.Type)
	b = appendString(appendKey(b, false, "const"), v.Const)
	b = appendString(appendKey(b, false, "doc"), v.Doc)
	return append(b, '}')
}
