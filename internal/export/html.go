package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/warroom-cli/warroom/internal/incident"
)

// The HTML postmortem (`warroom export ID --format html`) is the Markdown
// document rendered by goldmark, for teams that do not read Markdown: one
// self-contained file with its stylesheet inline, that opens from a mail
// attachment or a shared drive. It is as safe as the status page:
//
//   - raw HTML in the Markdown is never passed through (goldmark's default:
//     the user text is already escaped, and retro prose keeps its Markdown
//     but never raw HTML);
//   - links go only to http, https and mailto; any other link (a
//     javascript: URL, a relative path that means nothing outside the
//     repository) becomes its text, and an image becomes its alt text, so
//     the file fetches nothing;
//   - a Content-Security-Policy forbids scripts and every fetch but the
//     hashed inline stylesheet.

// htmlStyle is the postmortem's stylesheet: readable on a phone, light and
// dark, tables that scroll rather than overflow.
const htmlStyle = `:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#4d4d4d;--line:#767676;--link:#0645ad;--code:#f0f0f0}
@media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#ececec;--muted:#b5b5b5;--line:#8c8c8c;--link:#9cc0ff;--code:#242424}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;font-size:1.0625rem;line-height:1.55}
main{max-width:52rem;margin:0 auto;padding:1rem}
h1,h2,h3,h4{line-height:1.25;overflow-wrap:anywhere}
a{color:var(--link)}
table{border-collapse:collapse;display:block;overflow-x:auto;margin:1rem 0}
th,td{border:1px solid var(--line);padding:.3rem .6rem;text-align:left;vertical-align:top}
code{background:var(--code);padding:0 .2rem;border-radius:.2rem}
pre{background:var(--code);padding:.75rem;overflow-x:auto}
blockquote{margin:1rem 0;padding:0 1rem;border-left:4px solid var(--line);color:var(--muted)}
p,li,td{overflow-wrap:anywhere}
`

// HTMLPolicy is the Content-Security-Policy of the HTML postmortem.
var HTMLPolicy = "default-src 'none'; style-src 'sha256-" + cssHash(htmlStyle) + "'; img-src data:; base-uri 'none'; form-action 'none'"

func cssHash(css string) string {
	sum := sha256.Sum256([]byte(css))
	return base64.StdEncoding.EncodeToString(sum[:])
}

var htmlPage = template.Must(template.New("html").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="warroom">
<title>{{.Title}}</title>
<link rel="icon" href="data:,">
<style>{{.CSS}}</style>
</head>
<body>
<main>
{{.Body}}</main>
</body>
</html>
`))

var postmortem = goldmark.New(
	// GFM, with table alignment as the align attribute: a style
	// attribute would break the policy (only the hashed sheet may style).
	goldmark.WithExtensions(
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
		extension.Strikethrough, extension.Linkify, extension.TaskList,
	),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(webLinksOnly{}, 100))),
)

// HTML renders inc as the Markdown export does (with opts, so a custom
// export_template shapes it too), then as one self-contained HTML file.
func HTML(inc *incident.Incident, opts Options) ([]byte, error) {
	md, err := Markdown(inc, opts)
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	if err := postmortem.Convert(md, &body); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	err = htmlPage.Execute(&out, struct {
		CSP, Title string
		CSS        template.CSS
		// Body is goldmark's rendering, which escapes all text and, with
		// raw HTML off, writes no markup of the user's.
		Body template.HTML
	}{HTMLPolicy, inc.Key() + " " + incident.CleanLine(inc.Title) + " — postmortem", template.CSS(htmlStyle), template.HTML(body.String())})
	if err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// webLinksOnly unlinks every link that is not http, https or mailto, and
// replaces images with their alt text.
type webLinksOnly struct{}

func (webLinksOnly) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	var unlink []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			if !webURL(string(l.Destination)) {
				unlink = append(unlink, n)
			}
		case *ast.AutoLink:
			if !webURL(string(l.URL(reader.Source()))) {
				unlink = append(unlink, n)
			}
		case *ast.Image:
			unlink = append(unlink, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unlink {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		switch l := n.(type) {
		case *ast.AutoLink:
			parent.ReplaceChild(parent, n, ast.NewString(l.Label(reader.Source())))
		default:
			// The link's (or the image's alt) text stays, as text.
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				parent.InsertBefore(parent, n, c)
				c = next
			}
			parent.RemoveChild(parent, n)
		}
	}
}

// webURL reports a link the postmortem may keep.
func webURL(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto":
		return true
	}
	return false
}
