// Package htmlcheck parses the HTML warroom publishes (the status page, the
// HTML postmortem) with golang.org/x/net/html, the HTML5 parsing
// algorithm browsers use, and reports what would make a page unsafe to
// publish: script of any kind, links that are not web or mail links, and
// a missing Content-Security-Policy that forbids scripts. The tests of
// those pages share it, so every page is held to the same rules.
package htmlcheck

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// forbidden elements run or load active content, or change where links
// and forms go.
var forbidden = map[atom.Atom]bool{
	atom.Script: true, atom.Iframe: true, atom.Frame: true, atom.Object: true, atom.Embed: true,
	atom.Form: true, atom.Base: true, atom.Applet: true, atom.Noscript: true, atom.Template: true,
}

// urlAttrs are the attributes that hold a URL.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "poster": true, "srcset": true, "xlink:href": true, "background": true, "cite": true, "data": true, "ping": true}

// Problems parses doc and lists what breaks the rules, one sentence each;
// none means the page is fine. The parsed tree comes back for further
// checks.
func Problems(doc []byte) (*html.Node, []string) {
	var out []string
	if !bytes.HasPrefix(bytes.TrimSpace(doc), []byte("<!DOCTYPE html>")) {
		out = append(out, "the document does not start with <!DOCTYPE html>")
	}
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		return nil, append(out, "it does not parse: "+err.Error())
	}
	csp := false
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if forbidden[n.DataAtom] {
			out = append(out, fmt.Sprintf("a <%s> element", n.Data))
		}
		if n.DataAtom == atom.Meta && strings.EqualFold(Attr(n, "http-equiv"), "Content-Security-Policy") {
			csp = csp || forbidsScripts(Attr(n, "content"))
		}
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			if a.Namespace != "" {
				key = a.Namespace + ":" + key
			}
			switch {
			case strings.HasPrefix(key, "on"):
				out = append(out, fmt.Sprintf("an event handler %s on <%s>", key, n.Data))
			case key == "style":
				out = append(out, fmt.Sprintf("a style attribute on <%s> (the policy allows only the hashed stylesheet)", n.Data))
			case urlAttrs[key]:
				if why := badURL(n, key, a.Val); why != "" {
					out = append(out, fmt.Sprintf("<%s %s=%q>: %s", n.Data, key, a.Val, why))
				}
			}
		}
	}
	if !csp {
		out = append(out, "no Content-Security-Policy meta element that forbids scripts")
	}
	return root, out
}

// forbidsScripts reports a policy under which no script runs: script-src,
// or default-src when script-src is absent, is 'none'.
func forbidsScripts(policy string) bool {
	directives := map[string]string{}
	for d := range strings.SplitSeq(policy, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		if name != "" {
			if _, seen := directives[strings.ToLower(name)]; !seen {
				directives[strings.ToLower(name)] = strings.TrimSpace(value)
			}
		}
	}
	if v, ok := directives["script-src"]; ok {
		return v == "'none'"
	}
	return directives["default-src"] == "'none'"
}

// badURL says why a URL may not be on a published page, or "". Relative
// links within the site, http, https and mailto are fine; data: only as
// an image (the logo) or the empty favicon.
func badURL(n *html.Node, attr, raw string) string {
	v := strings.TrimSpace(raw)
	u, err := url.Parse(v)
	if err != nil {
		return "not a URL"
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto":
		return ""
	case "":
		if strings.HasPrefix(v, "//") {
			return "a scheme-relative link"
		}
		return ""
	case "data":
		if n.DataAtom == atom.Img && attr == "src" && strings.HasPrefix(strings.ToLower(v), "data:image/") {
			return ""
		}
		if n.DataAtom == atom.Link && attr == "href" && Attr(n, "rel") == "icon" && v == "data:," {
			return ""
		}
		return "a data: URL outside an image"
	}
	return "a " + u.Scheme + ": link"
}

// Attr is n's attribute name, or "".
func Attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// HasClass reports that n carries class c.
func HasClass(n *html.Node, c string) bool {
	return n.Type == html.ElementNode && strings.Contains(" "+Attr(n, "class")+" ", " "+c+" ")
}

// All returns every element under n (n included) that matches.
func All(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			out = append(out, d)
		}
	}
	if n.Type == html.ElementNode && match(n) {
		out = append([]*html.Node{n}, out...)
	}
	return out
}

// Tag matches elements of one kind.
func Tag(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.DataAtom == a }
}

// NextElement is the first element after n among its siblings, or nil.
func NextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

// Text is the text under n, as a reader sees it without the markup.
func Text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	if n.Type == html.TextNode {
		return n.Data
	}
	return b.String()
}
