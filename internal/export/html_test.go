package export

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/warroom-cli/warroom/internal/htmlcheck"
	"github.com/warroom-cli/warroom/internal/incident"
)

func renderHTML(t *testing.T, inc *incident.Incident) *html.Node {
	t.Helper()
	data, err := HTML(inc, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	root, problems := htmlcheck.Problems(data)
	for _, p := range problems {
		t.Errorf("%s", p)
	}
	if root == nil {
		t.FailNow()
	}
	return root
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestHTMLSameContentAsMarkdown: the HTML postmortem has the Markdown
// export's headings, in order, and its text.
func TestHTMLSameContentAsMarkdown(t *testing.T) {
	inc := demo()
	md, err := Markdown(inc, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	var mdHeadings []string
	doc := parse(md)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			var b bytes.Buffer
			for _, l := range leafTexts(h, md) {
				b.WriteString(l)
			}
			mdHeadings = append(mdHeadings, squash(b.String()))
		}
		return ast.WalkContinue, nil
	})
	root := renderHTML(t, inc)
	var htmlHeadings []string
	for _, h := range htmlcheck.All(root, func(n *html.Node) bool {
		return slices.Contains([]atom.Atom{atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6}, n.DataAtom)
	}) {
		htmlHeadings = append(htmlHeadings, squash(htmlcheck.Text(h)))
	}
	if len(mdHeadings) < 5 || !slices.Equal(mdHeadings, htmlHeadings) {
		t.Errorf("headings differ:\nmarkdown %q\nhtml     %q", mdHeadings, htmlHeadings)
	}
	body := squash(htmlcheck.Text(root))
	for _, u := range inc.Updates {
		if !strings.Contains(body, squash(u.Text)) {
			t.Errorf("the update %q is not in the HTML", u.Text)
		}
	}
	for _, e := range inc.VisibleEntries() {
		if !strings.Contains(body, squash(incident.CleanLine(e.Text))) {
			t.Errorf("the entry %q is not in the HTML", e.Text)
		}
	}
	if tables := htmlcheck.All(root, htmlcheck.Tag(atom.Table)); len(tables) < 3 {
		t.Errorf("%d tables; the metadata, timeline and actions are tables", len(tables))
	}
	title := htmlcheck.All(root, htmlcheck.Tag(atom.Title))
	if len(title) != 1 || htmlcheck.Text(title[0]) != "INC-7 Checkout failing for some customers — postmortem" {
		t.Errorf("title %v", title)
	}
}

// TestHTMLHostileTextStaysText puts every hostile text of the Markdown
// tests in every place: the page never gains a script, a handler or a
// link that is not http, https or mailto, and one-line text reads as typed.
func TestHTMLHostileTextStaysText(t *testing.T) {
	for _, p := range places {
		for _, h := range hostileTexts {
			inc := demo()
			p.put(inc, h)
			data, err := HTML(inc, utcOptions())
			if err != nil {
				t.Fatal(err)
			}
			root, problems := htmlcheck.Problems(data)
			if len(problems) > 0 {
				t.Fatalf("%s %q: %q", p.name, h, problems)
			}
			if p.multiLine || p.name == "entry kind" || p.name == "status" || p.name == "retro status" {
				continue
			}
			if w := squash(incident.CleanLine(h)); w != "" && !strings.Contains(squash(htmlcheck.Text(root)), w) {
				t.Fatalf("%s %q: the text %q does not read as typed", p.name, h, w)
			}
		}
	}
}

// TestHTMLProseLinks: retro prose keeps its Markdown, but links only to
// the web or mail, never raw HTML, and no image that would be fetched.
func TestHTMLProseLinks(t *testing.T) {
	inc := demo()
	inc.Retro.Sections[0].Text = "See [the dashboard](https://grafana.example/d/1) and [mail us](mailto:sre@example.com).\n\n" +
		"[bad](javascript:alert(1)) [also bad](JAVASCRIPT:alert(2)) [relative](../secret.md) <javascript:alert(3)> <vbscript:x>\n\n" +
		"![chart](https://evil.example/pixel.png) ![inline](data:image/png;base64,AAAA)\n\n" +
		"<script>alert(4)</script><iframe src=https://evil.example></iframe>\n\n" +
		"| a | b |\n|:-:|--:|\n| c | d |\n"
	root := renderHTML(t, inc)
	var hrefs []string
	for _, a := range htmlcheck.All(root, htmlcheck.Tag(atom.A)) {
		hrefs = append(hrefs, htmlcheck.Attr(a, "href"))
	}
	if !slices.Contains(hrefs, "https://grafana.example/d/1") || !slices.Contains(hrefs, "mailto:sre@example.com") {
		t.Errorf("web and mail links lost: %q", hrefs)
	}
	for _, h := range hrefs {
		if !strings.HasPrefix(h, "https://") && !strings.HasPrefix(h, "http://") && !strings.HasPrefix(h, "mailto:") {
			t.Errorf("link %q kept", h)
		}
	}
	if imgs := htmlcheck.All(root, htmlcheck.Tag(atom.Img)); len(imgs) != 0 {
		t.Errorf("%d images kept", len(imgs))
	}
	body := htmlcheck.Text(root)
	for _, text := range []string{"bad", "also bad", "relative", "chart", "inline"} {
		if !strings.Contains(body, text) {
			t.Errorf("the text %q of an unlinked link or image is gone", text)
		}
	}
	if cells := htmlcheck.All(root, htmlcheck.Tag(atom.Td)); len(cells) == 0 {
		t.Error("no table cells")
	}
}
