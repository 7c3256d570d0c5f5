package common

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// EditEntryCmd changes one entry's text, time or star.
func EditEntryCmd(ctx *Context, entryID int64, what string, fn func(e *incident.Entry) error) tea.Cmd {
	st, id, now, author := ctx.Store, ctx.IncidentID, ctx.Now(), ctx.Author
	return ctx.Write(func() tea.Msg {
		if _, err := st.EditEntry(id, entryID, now, author, fn); err != nil {
			return ErrMsg{Err: err}
		}
		return EntryChangedMsg{What: what}
	})
}

// AlertMark marks the entries an alert wrote, in place of their kind's
// mark: one cell (neutral width, no emoji presentation).
const AlertMark = "⚑"

// KindMark is the one-cell mark of each kind; with colours off it still
// tells kinds apart.
func KindMark(k incident.Kind) string {
	switch k {
	case incident.KindAction:
		return "!"
	case incident.KindDecision:
		return ">"
	case incident.KindQuestion:
		return "?"
	case incident.KindMilestone:
		return "◆"
	case incident.KindStatus:
		return "●"
	case incident.KindRole:
		return "@"
	case incident.KindPublic:
		return "»"
	case incident.KindSystem:
		return "–"
	case incident.KindHandover:
		return "⇄"
	}
	return "·"
}

// TextTaker is a component that can say whether a text input has the
// cursor right now. Typing() is broader: it also covers lists and prompts
// that want their letter keys left alone by the root (the retro's five
// whys, a y/n confirmation), where a run of letters must be split into keys.
// A component without the method is taken at its Typing() word, so a run is
// never split into a text field and a big paste stays one insertion.
type TextTaker interface {
	TakingText() bool
}

// ComponentTakingText asks a plug-in component, falling back to Typing().
func ComponentTakingText(c Component) bool {
	if t, ok := c.(TextTaker); ok {
		return t.TakingText()
	}
	return c.Typing()
}

// PollEvery is how often the database file's stamp is read when no change
// notification has come first (store.Subscribe wakes a reader at once): a
// fallback for file systems without notifications, still inside the two
// seconds promised.
const PollEvery = time.Second

// StampChanged reports another commit: the transaction id moves on every
// commit, even two within one tick of the file's modification time.
func StampChanged(a, b store.Stamp) bool {
	return a.TxID != b.TxID || !a.ModTime.Equal(b.ModTime) || a.Size != b.Size
}
