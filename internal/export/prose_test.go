package export

import (
	"strings"
	"testing"
)

func TestProseKeepsMarkdownButNotHTMLOrTheOutline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"- one\n- **two** and _three_\n1. first", "- one\n- **two** and *three*\n\n1. first"},
		{"see [the runbook](https://example.invalid/rb) and `kubectl get pods`", "see [the runbook](https://example.invalid/rb) and `kubectl get pods`"},
		// Headings nest one level below the section's, none skipped, with
		// blank lines around them (markdownlint MD001, MD022).
		{"# What happened\ntext", "### What happened\n\ntext"},
		{"## Sub\n###### deep", "### Sub\n\n#### deep"},
		{"## x\ntext\n### Root cause\n# top", "### x\n\ntext\n\n#### Root cause\n\n### top"},
		// One list, numbered as a renderer numbers it (MD029); blank lines
		// around lists (MD032); one bullet style (MD004).
		{"1. one\n3. three\n\n7. seven\ntext\n* star\n+ plus", "1. one\n2. three\n\n3. seven\n\ntext\n\n- star\n- plus"},
		// Tables get a pipe at each end and no empty cell (MD055, MD060).
		{"a|b\n-|-\n1|", "| a | b |\n| --- | --- |\n| 1 | — |"},
		{"<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"},
		{"a `<b>` code span", "a `<b>` code span"},
		{"&#27;[31m red &amp; &lt;", "&amp;#27;[31m red &amp;amp; &amp;lt;"},
		{"Title\n=====", "Title\n\\====="},
		{"```\n# not a heading\n<b>\n```\nafter", "```text\n# not a heading\n<b>\n```\n\nafter"},
		{"```go\nunclosed", "```go\nunclosed\n```"},
		{"\x1b[2Jcleared \x1b]0;title\x07", "cleared"},
	}
	for _, tt := range tests {
		if got := Prose(tt.in, 2); got != tt.want {
			t.Errorf("Prose(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
		}
	}
	// A megabyte of hostile prose stays bounded work and safe.
	huge := strings.Repeat("<div># x &#27; `y` ~~~\n", 50000)
	if out := Prose(huge, 2); strings.Contains(out, "<div") {
		t.Error("raw HTML survived a huge paste")
	}
}

func TestProseWritesCodeBlocksOneWay(t *testing.T) {
	tests := []struct{ in, want string }{
		{"text\n\n    indented code\n\n    more\nafter", "text\n\n```text\nindented code\n\nmore\n```\n\nafter"},
		{"~~~go\nx := 1\n~~~", "```go\nx := 1\n```"},
		{"~~~\n```\ninner\n~~~", "````text\n```\ninner\n````"},
		// A list item's indented paragraph stays in the item.
		{"- item\n\n    more of it", "- item\n\n    more of it"},
	}
	for _, tt := range tests {
		if got := Prose(tt.in, 2); got != tt.want {
			t.Errorf("Prose(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
		}
	}
}

// TestProseWritesOneStyle: emphasis, list markers, quotes and images in
// the document's own style (markdownlint MD049, MD050, MD030, MD027,
// MD028, MD045), without changing what renders.
func TestProseWritesOneStyle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"_a_ and __b__ and snake_case_name", "*a* and **b** and snake_case_name"},
		{"see https://example.com/_x_/y and a_b_c", "see https://example.com/_x_/y and a_b_c"},
		{"`_code_` _a*b_ ___three___", "`_code_` _a*b_ ___three___"},
		{"_unclosed and _ spaced _", "_unclosed and _ spaced _"},
		{"-   wide\n1.  two", "- wide\n\n1. two"},
		{">  quote\n\n> again", "> quote\n>\n> again"},
		{"![](https://example.com/i.png)", "![image](https://example.com/i.png)"},
	}
	for _, tt := range tests {
		if got := Prose(tt.in, 2); got != tt.want {
			t.Errorf("Prose(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
		}
	}
}
