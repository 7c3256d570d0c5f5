package retro

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// TestBecauseContinuationKeepsColour: every line of a wrapped "because"
// starts in the text colour, not just the first (a styled string wrapped
// whole lost its colour at the line break, since each line is drawn on its
// own inside the pane's border).
func TestBecauseContinuationKeepsColour(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	st := common.NewStyles(r, common.DefaultTheme())
	ctx := &common.Context{Styles: st, Keys: common.DefaultKeyMap(), Now: pinnedNow}
	re := &incident.Retro{Whys: []incident.Why{{Why: "Why did card payments fail?", Because: "The PSP rate-limited our EU merchant id after our traffic doubled without anyone telling them in advance"}}}
	v := retroWhys{ctx: ctx, keys: ctx.Keys.RetroScreen, r: re}
	lines, _, _ := v.lines(40, false)
	text := st.Text.Render("x")
	open := text[:strings.Index(text, "x")]
	var cont []string
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "     ") && strings.TrimSpace(l) != "" && !strings.Contains(l, "because:") {
			cont = append(cont, l)
		}
		if strings.Contains(l, "Why") {
			break
		}
	}
	if len(cont) == 0 {
		t.Fatalf("the because did not wrap at 40 columns: %q", lines)
	}
	for _, l := range cont {
		if !strings.Contains(l, open) {
			t.Errorf("a continuation line is not in the text colour: %q", l)
		}
	}
}

// TestSectionParagraphsOneColour: the paragraph the cursor rests in is
// drawn in the same colour as the others.
func TestSectionParagraphsOneColour(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	st := common.NewStyles(r, common.DefaultTheme())
	ctx := &common.Context{Styles: st, Keys: common.DefaultKeyMap(), Now: pinnedNow}
	txt := newRetroText(ctx, ctx.Keys.RetroScreen, nil)
	txt.setSize(60, 10)
	txt.Area.SetValue("Card payments failed for EU customers.\n\nThe PSP rate-limited our merchant id.")
	colour := func(s string) string {
		r := st.Text.Render("x")
		return r[:strings.Index(r, "x")]
	}("")
	var first, second string
	for _, l := range txt.view(60, 10, false) {
		switch {
		case strings.Contains(l, "Card payments"):
			first = l
		case strings.Contains(l, "rate-limited"):
			second = l
		}
	}
	if !strings.Contains(first, colour) || !strings.Contains(second, colour) {
		t.Fatalf("the paragraphs are drawn in different colours:\n%q\n%q", first, second)
	}
}
