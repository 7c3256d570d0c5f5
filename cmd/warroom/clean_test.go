package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rawControls are what must never reach the terminal from user text: escape
// sequences, the C0 and C1 controls that rewrite a line, bidi overrides and
// isolates that reorder what a person reads, and zero-width characters that
// hide in names.
var rawControls = []string{
	"\x1b", "\r", "\b", "\a", "\u009b",
	"\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
	"\u2066", "\u2067", "\u2068", "\u2069",
	"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
}

func assertClean(t *testing.T, what, out string) {
	t.Helper()
	for _, bad := range rawControls {
		if strings.Contains(out, bad) {
			t.Errorf("%s printed %q raw:\n%q", what, bad, out)
		}
	}
}

func TestUserTextNeverPrintedRaw(t *testing.T) {
	e := newEnv(t)
	r := e.run("new", "evil \x1b]0;pwned\x07 title \x1b[31mred\r")
	if r.code != 0 {
		t.Fatalf("new: exit %d %s", r.code, r.stderr)
	}
	assertClean(t, "new", r.stdout)
	for _, line := range []string{
		"/role \x1b[31mscribe\x1b[0m amara\x1b]0;x\x07",
		"/lead \x1b[2Jsam",
		"/tag \x1b[5mblink",
		"/publish \x1b[2J we are on it",
	} {
		r := e.run("log", line)
		if r.code != 0 {
			t.Fatalf("log %q: exit %d %s", line, r.code, r.stderr)
		}
		assertClean(t, "log "+line, r.stdout)
	}
	for _, args := range [][]string{{"show"}, {"list"}, {"search", "amara"}, {"search", "nothing\x1b[2J"}, {"stats"}} {
		assertClean(t, strings.Join(args, " "), e.ok(args...))
	}

	// Paths a person typed are echoed back cleaned.
	out := e.ok("export", "-o", filepath.Join(e.dir, "doc\x1b[2J.md"))
	assertClean(t, "export -o", out)
	out = e.ok("backup", filepath.Join(e.dir, "copy\x1b]0;x\x07.db"))
	assertClean(t, "backup", out)

	// Error messages quote what was typed: cleaned on the way out too.
	for _, args := range [][]string{
		{"log", "/\x1b[2Jnope"},
		{"list", "--\x1b[2Jflag"},
		{"show", "\x1b[31m7"},
		{"log", "/status \x1b]0;x\x07"},
		{"--db", filepath.Join(e.dir, "missing\x1b[2J", "x.db"), "check"},
		{"export", "--format", "\x1b[2Jpdf"},
	} {
		r := e.run(args...)
		if r.code != 1 {
			t.Fatalf("warroom %q: exit %d, want 1", args, r.code)
		}
		assertClean(t, "the error of "+strings.Join(args, " "), r.stderr)
	}
}

// TestOutputOnlyThroughCleaning holds the commands to printing through
// printf and printLine (out.go), which clean every value they are given, so
// that a new command cannot print a title or a path raw by mistake.
func TestOutputOnlyThroughCleaning(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "out.go" {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			name := sel.Sel.Name
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "fmt" && (strings.HasPrefix(name, "Print") || strings.HasPrefix(name, "Fprint")) {
				t.Errorf("%s: fmt.%s prints without cleaning; use printf or printLine", fset.Position(call.Pos()), name)
			}
			if name == "WriteString" {
				t.Errorf("%s: WriteString prints without cleaning; use printf or printLine", fset.Position(call.Pos()))
			}
			return true
		})
	}
}
