package common

import (
	"strings"
	"testing"
)

func TestTerminalSafeCoversCustomTemplates(t *testing.T) {
	got := TerminalSafe([]byte("a &#27;[31m b &#x9B;c &#X1b; d &#0; e &#169; f &#x2603; g &amp; h \x1b[1mbold\x07 \\&\\#27; \\\\ \\| &#9; &#99999999;"))
	want := `a &amp;#27;[31m b &amp;#x9B;c &amp;#X1b; d &amp;#0; e &#169; f &#x2603; g &amp; h bold &amp;\#27; \\ \| &amp;#9; &amp;#99999999;`
	if got != want {
		t.Errorf("terminalSafe = %q\nwant           %q", got, want)
	}
	// And through glamour: the custom template's raw references stay text,
	// harmless ones still render.
	out, err := RenderMarkdown([]byte("# T\n\n&#27;[31mred &#169;\n"), 80, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(out, 0x1b) || !strings.Contains(out, "&#27;[31mred") || !strings.Contains(out, "©") {
		t.Errorf("rendered %q", out)
	}
}

// TestPreviewShowsTextAsTyped: no backslash of an escape the export
// wrote, and "rm -rf" never broken at its hyphen, in paragraphs and in
// table cells, at every width.
func TestPreviewShowsTextAsTyped(t *testing.T) {
	for w := 40; w <= 100; w++ {
		pad := strings.Repeat("x", w%23+20)
		md := "# INC-1\n\n" + pad + " stopped after \\~300 GB; ran rm -rf on db-1 and `rm -rf` \\= \\: done\n\n" +
			"| Time | Entry |\n| --- | --- |\n| 23:30 | " + pad + " stopped after \\~300 GB; rm -rf --force on db1 |\n\n- item\n\n---\n"
		out, err := RenderMarkdown([]byte(md), w, nil)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, `\~`) || strings.Contains(out, `\=`) || strings.Contains(out, `\:`) || !strings.Contains(out, "~300 GB") {
			t.Fatalf("width %d: escapes shown with their backslash:\n%s", w, out)
		}
		if strings.ContainsRune(out, nbHyphen) || strings.ContainsRune(out, nbSpace) {
			t.Fatalf("width %d: the stand-in hyphen reached the screen:\n%s", w, out)
		}
		for _, line := range strings.Split(out, "\n") {
			l := strings.TrimRight(line, " │|")
			if strings.Trim(l, " -|") != "" && (strings.HasSuffix(l, "rm") || strings.HasSuffix(l, "-")) {
				t.Fatalf("width %d: a line ends inside a hyphenated word: %q\n%s", w, line, out)
			}
		}
		if c := strings.Count(out, "rm -rf"); c != 3 {
			t.Fatalf("width %d: \"rm -rf\" whole %d times, want 3:\n%s", w, c, out)
		}
		if !strings.Contains(out, "• item") && !strings.Contains(out, "- item") && !strings.Contains(out, "* item") {
			t.Fatalf("width %d: the list lost its bullet:\n%s", w, out)
		}
	}
}
