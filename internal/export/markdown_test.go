package export

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	htmlrenderer "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"

	"github.com/warroom-cli/warroom/internal/incident"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

var demoNow = time.Date(2026, 5, 4, 18, 0, 0, 0, time.UTC)

func demo() *incident.Incident {
	inc := incident.Demo(demoNow)
	inc.ID = 7
	inc.UID = "demo-uid"
	for i := range inc.Entries {
		inc.Entries[i].ID = int64(i + 1)
	}
	return inc
}

func utcOptions() Options {
	return Options{Policy: incident.DefaultPolicy(), Location: time.UTC}
}

func TestMarkdownDemoGolden(t *testing.T) {
	got, err := Markdown(demo(), utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "demo.md")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("export differs from %s (run go test -update and review the diff):\n%s", golden, got)
	}
}

func TestMarkdownIsDeterministic(t *testing.T) {
	inc := demo()
	inc.Roles["scribe"] = "fay"
	inc.Roles["observer"] = "gus"
	first, err := Markdown(inc, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, err := Markdown(inc, utcOptions())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatal("two exports of the same incident differ")
		}
	}
}

func TestMarkdownSections(t *testing.T) {
	inc := demo()
	inc.Entries[3].Deleted = true
	deletedText := "A deleted entry that must not show"
	inc.Entries[3].Text = deletedText
	inc.Retro.Sections = append(inc.Retro.Sections, incident.Section{Title: "What went well", Text: "The canary caught it.", Contributors: []string{"chen"}})
	inc.Milestones[incident.MResolved] = inc.Milestones[incident.Mitigated].Add(time.Hour)
	out, err := Markdown(inc, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		"# INC-7: Checkout failing for some customers\n",
		"| Severity | SEV2 |",
		"- **Resolution lead:** amara",
		"- **Communication lead:** ben",
		"## Introduction\n\nFrom 12:05 about one in ten",
		"| Time to detect | 13m |",
		"| Time to resolve | 3h20m |",
		"- 12:40: Issue identified; team working on resolution.\n- 13:10: Still investigating",
		"| 13:10–13:28 | — | gap | *No entries for 18m* |",
		"| 12:52 | dana | note | ★ **payments-db connection pool at 200/200; queries queue behind it** |",
		"4. **Why did that reach production?** Our load tests",
		"**(root cause)**",
		"**Root cause:** Our load tests never simulate",
		"### Immediate\n\n| Action | Owner | Due | Status |",
		"| Alert when the payments-db pool is above 80% for 5 minutes | dana | 2026-05-05 | open |",
		"### Long-term\n\n| Action | Owner | Due | Status |",
		"## What went well\n\nThe canary caught it.\n\n*Contributors:* chen",
		"## Contributors\n\namara, ben, chen, dana, pagerbot\n",
		"| Retro | draft, due 2026-05-04 17:25 UTC |",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("export lacks %q", want)
		}
	}
	if strings.Contains(s, deletedText) {
		t.Error("a deleted entry appears in the export")
	}
	if strings.Count(s, "| gap |") != 1 {
		t.Errorf("want exactly one gap row, got %d", strings.Count(s, "| gap |"))
	}
}

func TestMarkdownShowsDatesWhenTheIncidentSpansDays(t *testing.T) {
	inc := demo()
	last := inc.Entries[len(inc.Entries)-1]
	last.ID = 99
	last.At = last.At.Add(12 * time.Hour) // 02:28 the next day
	last.Text = "Still watching overnight"
	inc.Entries = append(inc.Entries, last)
	out, err := Markdown(inc, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{"| 2026-05-04 12:05 | amara | milestone | Started |", "| 2026-05-05 02:28 | amara | action | Still watching overnight |", "- 2026-05-04 12:40: Issue identified"} {
		if !strings.Contains(s, want) {
			t.Errorf("multi-day export lacks %q", want)
		}
	}
	one, _ := Markdown(demo(), utcOptions())
	if strings.Contains(string(one), "| 2026-05-04 12:05 |") {
		t.Error("a one-day export shows dates on timeline rows")
	}
}

func TestMarkdownUserTemplate(t *testing.T) {
	tmpl := `{{.ID}} {{.Title}} {{len .Timeline}} {{range .Updates}}[{{.Time}} {{.Text}}]{{end}} {{md "a|b"}}`
	out, err := Markdown(demo(), Options{Location: time.UTC, Template: tmpl})
	if err != nil {
		t.Fatal(err)
	}
	want := "INC-7 Checkout failing for some customers 32 [12:40 Issue identified; team working on resolution.][13:10 Still investigating the problem; no ETA yet.][13:40 Root cause identified; resolution plan in progress.][14:20 Ongoing resolution efforts; ETA for resolution provided.] a\\|b"
	if string(out) != want {
		t.Errorf("got  %q\nwant %q", out, want)
	}
	if _, err := Markdown(demo(), Options{Template: "{{.Nope}}"}); err == nil || !strings.Contains(err.Error(), "template failed") {
		t.Errorf("unknown field: err = %v, want a template failure", err)
	}
	if _, err := Markdown(demo(), Options{Template: "{{if}}"}); err == nil || !strings.Contains(err.Error(), "not a valid Go template") {
		t.Errorf("bad syntax: err = %v", err)
	}
}

func TestLoadTemplate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "export.md.tmpl")
	if err := os.WriteFile(good, []byte("{{.ID}}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := LoadTemplate(good); err != nil || s != "{{.ID}}" {
		t.Errorf("LoadTemplate = %q, %v", s, err)
	}
	bad := filepath.Join(dir, "bad.tmpl")
	if err := os.WriteFile(bad, []byte("{{range}}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadTemplate(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad template: err = %v, want one naming the file", err)
	}
	if _, err := LoadTemplate(filepath.Join(dir, "missing.tmpl")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing template: err = %v", err)
	}
	if _, err := newTemplate().Parse(BuiltinTemplate()); err != nil {
		t.Errorf("the built-in template does not parse on its own: %v", err)
	}
}

// ---- structure checks with goldmark (GFM) ----

var gfm = goldmark.New(goldmark.WithExtensions(extension.GFM))

// plain returns the text a renderer shows for a text segment: escapes and
// entities resolved exactly as goldmark's HTML writer does.
func plain(value []byte) string {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	htmlrenderer.DefaultWriter.Write(w, value)
	_ = w.Flush()
	return html.UnescapeString(buf.String())
}

// shape describes a document's structure: every block and every inline node
// that is not plain text, with runs of text (including linkified URLs, which
// are still the user's text) collapsed to T.
func shape(doc ast.Node) string {
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text, *ast.String, *ast.AutoLink:
				if !strings.HasSuffix(b.String(), "T") {
					b.WriteString("T")
				}
				if t, ok := c.(*ast.Text); ok && t.HardLineBreak() {
					b.WriteString(" BR ")
				}
				continue
			}
			b.WriteString("(" + c.Kind().String())
			if h, ok := c.(*ast.Heading); ok {
				b.WriteString(string(rune('0' + h.Level)))
			}
			b.WriteString(" ")
			walk(c)
			b.WriteString(")")
		}
	}
	walk(doc)
	return b.String()
}

// leafTexts returns the plain text of every paragraph, heading and table
// cell (soft line breaks as "\n").
func leafTexts(doc ast.Node, src []byte) []string {
	var out []string
	var cur *strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.Kind() {
		case ast.KindParagraph, ast.KindHeading, ast.KindTextBlock, east.KindTableCell:
			if entering {
				cur = &strings.Builder{}
			} else if cur != nil {
				out = append(out, cur.String())
				cur = nil
			}
			return ast.WalkContinue, nil
		}
		if !entering || cur == nil {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			cur.WriteString(plain(t.Segment.Value(src)))
			if t.SoftLineBreak() || t.HardLineBreak() {
				cur.WriteString("\n")
			}
		case *ast.String:
			cur.WriteString(plain(t.Value))
		case *ast.AutoLink:
			cur.WriteString(string(t.Label(src)))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return out
}

func parse(src []byte) ast.Node { return gfm.Parser().Parse(text.NewReader(src)) }

// place puts text into one spot of an incident.
type place struct {
	name      string
	multiLine bool // rendered as paragraphs rather than on one line
	put       func(inc *incident.Incident, s string)
}

var places = []place{
	{"title", false, func(inc *incident.Incident, s string) { inc.Title = s }},
	{"entry text", false, func(inc *incident.Incident, s string) { inc.Entries[5].Text = s }},
	{"starred entry text", false, func(inc *incident.Incident, s string) { inc.Entries[9].Text = s }},
	{"entry author", false, func(inc *incident.Incident, s string) { inc.Entries[6].Author = s }},
	{"update text", false, func(inc *incident.Incident, s string) { inc.Updates[1].Text = s }},
	{"entry kind", false, func(inc *incident.Incident, s string) { inc.Entries[5].Kind = incident.Kind(s) }},
	{"status", false, func(inc *incident.Incident, s string) { inc.Status = incident.Status(s) }},
	{"retro status", false, func(inc *incident.Incident, s string) { inc.Retro.Status = incident.RetroStatus(s) }},
	{"role holder", false, func(inc *incident.Incident, s string) { inc.Roles[incident.RoleLead] = s }},
	{"role name", false, func(inc *incident.Incident, s string) { inc.Roles["zz "+s] = "x" }},
	{"war room", false, func(inc *incident.Incident, s string) { inc.WarRoom = s }},
	{"tag", false, func(inc *incident.Incident, s string) { inc.Tags[1] = s }},
	{"why", false, func(inc *incident.Incident, s string) { inc.Retro.Whys[1].Why = s }},
	{"because of root cause", false, func(inc *incident.Incident, s string) { inc.Retro.Whys[3].Because = s }},
	{"action title", false, func(inc *incident.Incident, s string) { inc.Retro.Actions[2].Title = s }},
	{"action owner", false, func(inc *incident.Incident, s string) { inc.Retro.Actions[0].Owner = s }},
	{"extra section title", false, func(inc *incident.Incident, s string) {
		inc.Retro.Sections = append(inc.Retro.Sections, incident.Section{Title: "zz " + s, Text: "fixed"})
	}},
	{"factor cause", false, func(inc *incident.Incident, s string) {
		inc.Entries[4].UID = "e5"
		inc.Retro.Factors = append(inc.Retro.Factors, incident.Factor{UID: "f1", Cause: s, Evidence: []string{"e5"}})
	}},
	{"evidence entry text", false, func(inc *incident.Incident, s string) {
		inc.Entries[4].UID, inc.Entries[4].Text = "e5", s
		inc.Retro.Factors = append(inc.Retro.Factors, incident.Factor{UID: "f1", Cause: "fixed", Evidence: []string{"e5"}})
	}},
	{"review comment", false, func(inc *incident.Incident, s string) {
		inc.Retro.Review = append(inc.Retro.Review, incident.ReviewComment{UID: "r1", Author: "kim", Section: "Timeline", Text: s})
	}},
	{"review section name", false, func(inc *incident.Incident, s string) {
		inc.Retro.Review = append(inc.Retro.Review, incident.ReviewComment{UID: "r1", Author: "kim", Section: s, Text: "fixed"})
	}},
	{"introduction", true, func(inc *incident.Incident, s string) { inc.Retro.Sections[0].Text = s }},
	{"extra section text", true, func(inc *incident.Incident, s string) {
		inc.Retro.Sections = append(inc.Retro.Sections, incident.Section{Title: "What went well", Text: s})
	}},
}

// placeholderFor is benign text with the same line layout as s, so that the
// two exports must have identical structure.
func placeholderFor(s string, multiLine bool) string {
	if !multiLine {
		if strings.TrimSpace(incident.CleanLine(s)) == "" {
			return ""
		}
		return "PLACEHOLDER"
	}
	lines := strings.Split(incident.CleanText(s), "\n")
	for i, l := range lines {
		if strings.TrimSpace(strings.ReplaceAll(l, "\t", " ")) != "" {
			lines[i] = "PLACEHOLDER"
		} else {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

// checkSafe exports the demo with hostile text at p and fails if the
// document's structure differs from the same export with benign text, if
// the text does not come through as text, or if a control character
// survives into the rendered text.
func checkSafe(t testing.TB, p place, hostile string) {
	t.Helper()
	if p.multiLine {
		checkProseSafe(t, p, hostile)
		return
	}
	benign, evil := demo(), demo()
	p.put(benign, placeholderFor(hostile, p.multiLine))
	p.put(evil, hostile)
	bsrc, err := Markdown(benign, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	esrc, err := Markdown(evil, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	bdoc, edoc := parse(bsrc), parse(esrc)
	if bs, es := shape(bdoc), shape(edoc); bs != es {
		t.Fatalf("%s %q changed the document's structure:\n%s", p.name, hostile, diffHint(bs, es))
	}
	// Bidi overrides and zero-width characters change what a reader sees
	// without showing themselves; none may reach the document at all.
	for _, r := range string(esrc) {
		if (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || (r >= 0x200b && r <= 0x200d) || r == 0x2060 || r == 0xfeff {
			t.Fatalf("%s %q: invisible character %U reaches the document", p.name, hostile, r)
		}
	}
	texts := leafTexts(edoc, esrc)
	for _, tx := range texts {
		for _, r := range tx {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
				t.Fatalf("%s %q: control character %U reaches the rendered text %q", p.name, hostile, r, tx)
			}
		}
	}
	var want []string
	if p.multiLine {
		for l := range strings.SplitSeq(incident.CleanText(hostile), "\n") {
			if l = strings.TrimSpace(strings.ReplaceAll(l, "\t", " ")); l != "" {
				want = append(want, l)
			}
		}
	} else if w := strings.TrimSpace(incident.CleanLine(hostile)); w != "" {
		want = append(want, w)
	}
	for _, w := range want {
		found := false
		for _, tx := range texts {
			if strings.Contains(tx, w) {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("%s %q: the text %q does not appear as text in any block", p.name, hostile, w)
		}
	}
}

func diffHint(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-120)
	return "benign: …" + a[from:min(len(a), i+120)] + "\nhostile: …" + b[from:min(len(b), i+120)]
}

var hostileTexts = []string{
	"# x",
	"## heading ##",
	"x #",
	"| a | b |",
	"| --- | --- |",
	"a | b\n--- | ---",
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"[x](javascript:alert(1))",
	"![img](http://evil/x.png)",
	"<http://evil.example>",
	"text\n---",
	"text\n===",
	"---",
	"***",
	"_ _ _",
	"`code` and ``more``",
	"```\nfenced\n```",
	"~~~\nfenced",
	"    indented code",
	"\tindented with a tab",
	"&#27;[31mred",
	"&#x1b;[31m &amp; &lt;b&gt; &copy;",
	"\x1b[31mred\x1b[0m \x1b]8;;http://evil\x07link\x1b]8;;\x07",
	"\x9b31mC1 CSI",
	"carriage\rreturn\bback",
	"- item",
	"+ item",
	"* item",
	"1. item",
	"12) item",
	"> quote",
	"*emphasis* and **strong** and ~~strike~~",
	"_under_ __strong__",
	"trailing backslash \\",
	"line break  \nnext",
	"a\\\nb",
	"[ref]: http://evil",
	"[^1]: footnote",
	"- [ ] task",
	"www.example.com and https://example.com/x?a=1 and me@example.com",
	":-:",
	"\u00a0nbsp edges\u00a0",
	"<!-- comment -->",
	"\\*not emphasis\\*",
	"**",
	"★ **",
	"rolled back \u202edeploy 4711\u202c and \u2066isolated\u2069",
	"\u202b# heading\u202a | x \u202d",
	"zero\u200bwidth\u200c join\u200d word\u2060joiner \ufeffbom",
	"\u200b# x",
	"\ufeff- item",
}

func TestMarkdownHostileTextStaysText(t *testing.T) {
	for _, p := range places {
		for _, h := range hostileTexts {
			checkSafe(t, p, h)
		}
	}
}

func TestInlineAndParagraphs(t *testing.T) {
	tests := []struct{ in, inline, para string }{
		{"plain text.", "plain text.", "plain text."},
		{"# x", "\\# x", "\\# x"},
		{"1. first", "1\\. first", "1\\. first"},
		{"a | b", "a \\| b", "a \\| b"},
		{"&#27;", "\\&\\#27;", "\\&\\#27;"},
		{"<b>", "\\<b\\>", "\\<b\\>"},
		{"text\n---", "text ---", "text\n\\---"},
		{"  a  \n\n\n  b  ", "a       b", "a\n\nb"},
		{"\x1b[31mred\x1b[0m", "red", "red"},
		{"ad\u202emin\u202c", "admin", "admin"},
		{"\u200b# x", "\\# x", "\\# x"},
		{"\ufeff1. a\n\u2066- b\u2069", "1\\. a - b", "1\\. a\n\\- b"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := Inline(tt.in); got != tt.inline {
			t.Errorf("Inline(%q) = %q, want %q", tt.in, got, tt.inline)
		}
		if got := Paragraphs(tt.in); got != tt.para {
			t.Errorf("Paragraphs(%q) = %q, want %q", tt.in, got, tt.para)
		}
	}
}

func FuzzMarkdownEntryText(f *testing.F) {
	for _, h := range hostileTexts {
		f.Add(h)
	}
	entry := places[1]
	intro := places[len(places)-2]
	f.Fuzz(func(t *testing.T, s string) {
		checkSafe(t, entry, s)
		checkSafe(t, intro, s)
	})
}

// Every time is in the one zone the export names.
func TestMarkdownNamesItsZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	inc := incident.Demo(time.Date(2026, 3, 12, 18, 0, 0, 0, time.UTC))
	md, err := Markdown(inc, Options{Policy: incident.DefaultPolicy(), Location: berlin, Zone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(md)
	// The demo's first public update is at 12:40 UTC: 13:40 in Berlin.
	if !strings.Contains(s, "*All times are in Europe/Berlin.*") || !strings.Contains(s, "- 13:40: Issue identified") {
		t.Fatalf("the export does not name its zone or show times in it:\n%s", s)
	}
}

// outline is the document's headings of level 1 and 2 (the template's own),
// in order.
func outline(doc ast.Node, src []byte) []string {
	var out []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && h.Level <= 2 {
			out = append(out, fmt.Sprintf("h%d %s", h.Level, string(h.Lines().Value(src))))
		}
		return ast.WalkContinue, nil
	})
	return out
}

// checkProseSafe checks retro prose, which keeps its Markdown (lists,
// emphasis, links, code): whatever it holds, the document's outline stays
// the template's (its headings nest below the section's), no raw HTML or
// invisible or control character reaches the document.
func checkProseSafe(t testing.TB, p place, hostile string) {
	t.Helper()
	benign, evil := demo(), demo()
	p.put(benign, placeholderFor(hostile, true))
	p.put(evil, hostile)
	bsrc, err := Markdown(benign, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	esrc, err := Markdown(evil, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	bdoc, edoc := parse(bsrc), parse(esrc)
	if bo, eo := strings.Join(outline(bdoc, bsrc), " | "), strings.Join(outline(edoc, esrc), " | "); bo != eo {
		t.Fatalf("%s %q changed the document's outline:\n benign: %s\nhostile: %s", p.name, hostile, bo, eo)
	}
	_ = ast.Walk(edoc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (n.Kind() == ast.KindHTMLBlock || n.Kind() == ast.KindRawHTML) {
			t.Fatalf("%s %q: raw HTML reaches the document: %q", p.name, hostile, n.Kind().String())
		}
		return ast.WalkContinue, nil
	})
	for _, r := range string(esrc) {
		if (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || (r >= 0x200b && r <= 0x200d) || r == 0x2060 || r == 0xfeff ||
			(r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			t.Fatalf("%s %q: character %U reaches the document", p.name, hostile, r)
		}
	}
}

// Handovers are listed in the export.
func TestMarkdownListsHandovers(t *testing.T) {
	inc := demo()
	inc.Entries = append(inc.Entries, incident.Entry{ID: 999, At: inc.Entries[len(inc.Entries)-1].At, Author: "amara", Kind: incident.KindHandover,
		Text: "Handover of the resolution lead from amara to ben\nState: SEV2, monitoring"})
	md, err := Markdown(inc, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "## Handovers") || !strings.Contains(string(md), "from amara to ben · State: SEV2, monitoring") {
		t.Fatalf("no handover in the export:\n%s", md)
	}
}

func TestMarkdownFactorsAndReview(t *testing.T) {
	inc := demo()
	for i := range inc.Entries {
		inc.Entries[i].UID = fmt.Sprintf("e%d", i+1)
	}
	inc.Entries[6].Deleted = true
	r := &inc.Retro
	r.Whys[2].UID = "w3"
	r.Factors = []incident.Factor{
		{UID: "f1", Cause: "The pool size was never load tested", Evidence: []string{"e10", "e7", "not-here"}, Author: "dana"},
		{UID: "f2", Cause: "The payments expert happened to be online", Lucky: true, Author: "amara"},
	}
	r.Actions[1].Addresses = "f1"
	r.Actions[2].Addresses = "w3"
	r.Actions[3].Addresses = "gone"
	r.Review = []incident.ReviewComment{{UID: "c1", At: time.Date(2026, 5, 5, 9, 30, 0, 0, time.UTC), Author: "kim", Section: "Timeline", Text: "Why did the first page go unanswered?"}}
	out, err := Markdown(inc, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	e10 := inc.Entries[9]
	for _, want := range []string{
		"## Contributing factors\n\n1. The pool size was never load tested\n",
		fmt.Sprintf("   - Evidence: %s %s: %s (#10)\n", e10.At.Format("15:04"), e10.Author, Inline(e10.Text)),
		"   - Evidence: entry #7, since deleted\n",
		"   - Evidence: a timeline entry that is not in this copy\n",
		"2. The payments expert happened to be online *(where we got lucky)*",
		"*(addresses factor 1)*",
		"*(addresses why 3)*",
		"*(addresses a deleted factor or why)*",
		"## Review\n\n| Time | Who | Section | Comment |",
		"| Timeline | Why did the first page go unanswered? |",
		"amara, ben, chen, dana, kim, pagerbot",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("export lacks %q", want)
		}
	}
	got := strings.Join(outline(parse(out), out), " | ")
	for _, want := range []string{"h2 Five whys | h2 Contributing factors | h2 Actions", "h2 Review | h2 Contributors"} {
		if !strings.Contains(got, want) {
			t.Errorf("outline %q lacks %q", got, want)
		}
	}
	// The factors' evidence is a nested list under its factor.
	doc := parse(out)
	lists := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.List); ok && entering && l.Parent() != nil && l.Parent().Kind() == ast.KindListItem {
			lists++
		}
		return ast.WalkContinue, nil
	})
	if lists != 1 {
		t.Errorf("want the evidence as one nested list, found %d nested lists", lists)
	}
}
