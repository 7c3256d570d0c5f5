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
