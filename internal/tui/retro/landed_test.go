package retro

import (
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// A save that comes back merged with a teammate's words (they typed on
// their own line below at the same time) leaves the cursor where this
// person types: the next word goes on their own line, not at the end of
// the teammate's, where textarea.SetValue would have left it.
func TestSaveMergedKeepsTheCursorInYourLine(t *testing.T) {
	ctx := &common.Context{Author: "amara", Now: pinnedNow, Config: config.Default(), Styles: common.NewStyles(lipgloss.DefaultRenderer(), common.DefaultTheme()), Keys: common.DefaultKeyMap()}
	tx := newRetroText(ctx, ctx.Keys.RetroScreen, &TextSaver{})
	tx.Area.SetWidth(60)
	tx.Area.SetHeight(10)
	tx.Area.Focus()
	tx.Area.SetValue("a1 a2 \nb1 ")
	tx.synced = "a1 \nb1 "
	tx.Area.CursorUp()
	tx.Area.CursorEnd()
	tx.landed(sectionSave{sent: "a1 a2 \nb1 ", Merged: store.Merged{Text: "a1 a2 \nb1 b2 ", Merged: true, By: "ben", Rev: 3}})
	tx.Area.InsertString("a3 ")
	if got, want := tx.Area.Value(), "a1 a2 a3 \nb1 b2 "; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
}
