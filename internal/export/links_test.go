package export

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
)

// linkDests are the destinations of every link, image and autolink a GFM
// renderer finds in src.
func linkDests(src string) []string {
	var out []string
	doc := parse([]byte(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			out = append(out, string(l.Destination))
		case *ast.Image:
			out = append(out, string(l.Destination))
		case *ast.AutoLink:
			out = append(out, string(l.URL([]byte(src))))
		}
		return ast.WalkContinue, nil
	})
	return out
}

func TestProseKeepsOnlySafeLinks(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // destinations left, in order
		text     string   // must still read in the output
	}{
		{name: "https", in: "See [the runbook](https://example.com/rb).", want: []string{"https://example.com/rb"}},
		{name: "http and mailto", in: "[a](http://x.example) and [b](mailto:ops@example.com)", want: []string{"http://x.example", "mailto:ops@example.com"}},
		{name: "javascript", in: "[click](javascript:alert(1))", text: "click"},
		{name: "javascript upper case", in: "[click](JavaScript:alert(1))", text: "click"},
		{name: "escaped colon", in: `[click](javascript\:alert(1))`, text: "click"},
		{name: "angle destination", in: "[click](<javascript:alert(1)>)", text: "click"},
		{name: "space before destination", in: "[click]( javascript:alert(1))", text: "click"},
		{name: "data image", in: "![x](data:image/svg+xml;base64,PHN2Zz4=)", text: "x"},
		{name: "vbscript and file", in: "[a](vbscript:msgbox) [b](file:///etc/passwd)", text: "file:///etc/passwd"},
		{name: "destination on the next line", in: "[click](\njavascript:alert(1))", text: "click"},
		{name: "reference definition", in: "[click][r]\n\n[r]: javascript:alert(1)", text: "click"},
		{name: "safe reference definition", in: "[click][r]\n\n[r]: https://example.com", want: []string{"https://example.com"}},
		{name: "autolink in angle brackets", in: "<javascript:alert(1)>", text: "javascript:alert(1)"},
		{name: "bare http kept by GFM", in: "see https://example.com/x now", want: []string{"https://example.com/x"}},
		{name: "in a heading", in: "# [h](javascript:x)", text: "h"},
		{name: "inside code stays code", in: "`[a](javascript:x)`", text: "[a](javascript:x)"},
		{name: "safe then unsafe on one line", in: "[ok](https://a.example) [bad](javascript:x)", want: []string{"https://a.example"}, text: "bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Prose(tt.in, 2)
			got := linkDests(out)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("Prose(%q) = %q: links %q, want %q", tt.in, out, got, tt.want)
			}
			if tt.text != "" && !strings.Contains(htmlOf(t, out), tt.text) {
				t.Errorf("Prose(%q) = %q lost the text %q", tt.in, out, tt.text)
			}
		})
	}
}

// htmlOf renders src as GFM HTML.
func htmlOf(t *testing.T, src string) string {
	t.Helper()
	var b strings.Builder
	if err := gfm.Convert([]byte(src), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// FuzzProse: whatever is typed, the prose's headings nest below the
// section's without skipping a level, and no link leads anywhere but
// http, https or mailto.
func FuzzProse(f *testing.F) {
	for _, s := range []string{
		"## x\ntext\n### Root cause\n##### deep\n# top",
		"[a](javascript:x)\n[b]: javascript:y\n[b]",
		"| a | b |\n|---|---|\n| 1 | |\n* x\n+ y\n1. z",
		"```\n# in code\n",
		"- a\nlazy\n    code?\n2017. text",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Prose(s, 2)
		prev := 2
		_ = ast.Walk(parse([]byte(out)), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch n := n.(type) {
			case *ast.Heading:
				if n.Level < 3 || n.Level > prev+1 {
					t.Fatalf("Prose(%q) = %q has an h%d after h%d", s, out, n.Level, prev)
				}
				prev = n.Level
			case *ast.Link:
				if !safeLinkDest(string(n.Destination)) {
					t.Fatalf("Prose(%q) = %q links to %q", s, out, n.Destination)
				}
			case *ast.Image:
				if !safeLinkDest(string(n.Destination)) {
					t.Fatalf("Prose(%q) = %q shows an image from %q", s, out, n.Destination)
				}
			}
			return ast.WalkContinue, nil
		})
	})
}
