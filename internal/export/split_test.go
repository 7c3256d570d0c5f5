package export

import (
	"strings"
	"testing"
)

func TestSplitAtTheLayoutsHeadingsOnly(t *testing.T) {
	inc := demo()
	inc.Retro.Sections[0].Text = "intro\n\n```\n## not a heading\n```\n\n## nested by Prose"
	md, err := Markdown(inc, utcOptions())
	if err != nil {
		t.Fatal(err)
	}
	parts := Split(md)
	var titles []string
	var joined strings.Builder
	for _, p := range parts {
		titles = append(titles, p.Title)
		joined.Write(p.Markdown)
	}
	if joined.String() != string(md) {
		t.Error("the parts do not add up to the document")
	}
	got := strings.Join(titles, "|")
	want := "|Roles|Introduction|Key metrics|Public updates|Timeline|Five whys|Contributing factors|Actions|Review|Contributors"
	if got != want {
		t.Errorf("parts = %s\nwant    %s", got, want)
	}
	if !strings.Contains(string(parts[2].Markdown), "## not a heading") || !strings.Contains(string(parts[2].Markdown), "### nested by Prose") {
		t.Errorf("the introduction lost its code block or nested heading:\n%s", parts[2].Markdown)
	}
	if !strings.HasPrefix(string(parts[0].Markdown), "# INC-7") {
		t.Errorf("first part = %q", parts[0].Markdown[:20])
	}
}
