package statuspage

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/warroom-cli/warroom/internal/htmlcheck"
	"github.com/warroom-cli/warroom/internal/incident"
)

// TestPagesParseSafely parses every page as a browser would and checks its
// structure: no script, links only within the site, the policy that
// forbids scripts, user text only as text, and each incident's latest
// update as the first thing after its title.
func TestPagesParseSafely(t *testing.T) {
	o := opts()
	o.Logo = "data:image/png;base64,iVBORw0KGgo="
	incs := []*incident.Incident{openIncident(), resolvedIncident("new11111", time.Hour)}
	files := build(t, incs, o)
	pages := 0
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		root, problems := htmlcheck.Problems(data)
		for _, p := range problems {
			t.Errorf("%s: %s", name, p)
		}
		if root == nil {
			continue
		}
		for _, a := range htmlcheck.All(root, htmlcheck.Tag(atom.A)) {
			href := htmlcheck.Attr(a, "href")
			if strings.Contains(href, ":") || strings.HasPrefix(href, "/") {
				t.Errorf("%s: link %q leaves the site (the page must work from file://)", name, href)
			}
		}
		// The hostile title and update are there, as text.
		body := htmlcheck.Text(root)
		if name == IndexFile || name == pageOf(openIncident()) {
			for _, want := range []string{"<script>alert(1)</script>", `<a href="javascript:alert(3)">click</a>`, "kcab dellor"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the text %q is not shown as text", name, want)
				}
			}
		}
		if strings.ContainsAny(body, "\x1b\u202E") {
			t.Errorf("%s: an escape sequence or a bidi override reached the page", name)
		}
		if size := htmlcheck.Attr(htmlcheck.All(root, htmlcheck.Tag(atom.Html))[0], "lang"); size != "en" {
			t.Errorf("%s: no lang on <html>", name)
		}
		// Every incident: the title, then its latest update.
		articles := htmlcheck.All(root, func(n *html.Node) bool { return n.DataAtom == atom.Article })
		if len(articles) == 0 {
			t.Errorf("%s: no incident", name)
		}
		for _, art := range articles {
			checkLatestFirst(t, name, art, incs)
		}
	}
	if pages != 3 {
		t.Errorf("%d pages, want the index and two incident pages", pages)
	}
}

// checkLatestFirst asserts that the first element after an incident's
// heading is its list of updates, led by the newest one.
func checkLatestFirst(t *testing.T, page string, art *html.Node, incs []*incident.Incident) {
	t.Helper()
	headings := htmlcheck.All(art, func(n *html.Node) bool { return n.DataAtom == atom.H1 || n.DataAtom == atom.H3 })
	if len(headings) == 0 {
		t.Errorf("%s: an incident without a heading", page)
		return
	}
	h := headings[0]
	title := htmlcheck.Text(h)
	var inc *incident.Incident
	for _, c := range incs {
		if strings.HasPrefix(title, strings.Fields(c.Title)[0]) && strings.Contains(title, strings.Fields(incident.CleanLine(c.Title))[1]) {
			inc = c
		}
	}
	if inc == nil {
		t.Errorf("%s: heading %q names no incident", page, title)
		return
	}
	newest := inc.Updates[0]
	for _, u := range inc.Updates {
		if u.At.After(newest.At) {
			newest = u
		}
	}
	list := htmlcheck.NextElement(h)
	if list == nil || list.DataAtom != atom.Ul {
		t.Errorf("%s: %q is not followed by its updates", page, title)
		return
	}
	first := htmlcheck.NextElement(&html.Node{NextSibling: list.FirstChild})
	if first == nil || !htmlcheck.HasClass(first, "latest") {
		t.Errorf("%s: the first update of %q is not marked latest", page, title)
		return
	}
	text := strings.Join(strings.Fields(htmlcheck.Text(first)), " ")
	want := strings.Join(strings.Fields(incident.CleanText(newest.Text)), " ")
	if !strings.Contains(text, want) {
		t.Errorf("%s: the first thing of %q is %q, not the latest update %q", page, title, text, want)
	}
}
