package htmlcheck

import (
	"strings"
	"testing"
)

const head = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-x'"></head><body>`

func TestProblems(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"clean", head + `<a href="incidents/a.html">a</a> <a href="https://example.com">b</a> <a href="mailto:x@example.com">c</a><img src="data:image/png;base64,AA==" alt="">`, ""},
		{"script", head + `<script>alert(1)</script>`, "a <script> element"},
		{"handler", head + `<img src="x.png" onerror="alert(1)" alt="">`, "event handler onerror"},
		{"javascript link", head + `<a href=" JavaScript:alert(1)">x</a>`, "a javascript: link"},
		{"data link", head + `<a href="data:text/html,<script>alert(1)</script>">x</a>`, "a data: URL outside an image"},
		{"style attribute", head + `<p style="color:red">x</p>`, "a style attribute"},
		{"scheme-relative", head + `<a href="//evil.example/x">x</a>`, "scheme-relative"},
		{"no policy", `<!DOCTYPE html><html><body><p>x</p>`, "no Content-Security-Policy"},
		{"policy allowing scripts", `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'"></head><body>`, "no Content-Security-Policy"},
		{"no doctype", `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head>`, "<!DOCTYPE html>"},
	} {
		_, got := Problems([]byte(tc.doc))
		joined := strings.Join(got, "\n")
		if tc.want == "" && len(got) > 0 || tc.want != "" && !strings.Contains(joined, tc.want) {
			t.Errorf("%s: problems %q, want %q", tc.name, got, tc.want)
		}
	}
}
