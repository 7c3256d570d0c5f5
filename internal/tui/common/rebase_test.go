package common

import (
	"testing"

	"github.com/charmbracelet/bubbles/textarea"
)

// A teammate's line arriving while someone types in an editor never moves
// their cursor: the next words land where they were typing, whether their
// typing was saved yet or not.
func TestRebaseKeepsTheCursorWhereThePersonTypes(t *testing.T) {
	for _, c := range []struct {
		name, base, local, incoming, want string
		// up moves the cursor to the end of the line above the last.
		up bool
	}{
		{"unsaved words, a line added below", "A1 A2", "A1 A2 A3", "A1 A2\nB1", "A1 A2 A3 A4\nB1", false},
		{"saved words, a line added below", "A1 A2", "A1 A2", "A1 A2\nB1", "A1 A2 A4\nB1", false},
		{"a line added above the one typed in", "first\nsecond", "first A1\nsecond", "ben\nfirst\nsecond", "ben\nfirst A1 A4\nsecond", true},
		{"the same line: theirs first, ours after, typing goes on in ours", "x", "x mine", "x theirs", "x theirs\nx mine A4", false},
		// Two people each on their own line, both lines changed at once
		// (the stored copy of ours differs by its trailing space): the
		// cursor at the end of ours stays on ours, never on theirs below.
		{"both lines changed, the cursor at the end of the first", "a1 a2 \nb1 ", "a1 a2 \nb1 ", "a1 a2\nb1 b2 ", "a1 a2 A4\nb1 b2 ", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ta := textarea.New()
			ta.SetWidth(60)
			ta.SetHeight(10)
			ta.CharLimit = 0
			ta.Focus()
			ta.SetValue(c.local)
			if c.up {
				ta.CursorUp()
				ta.CursorEnd()
			}
			Rebase(&ta, c.base, c.incoming)
			ta.InsertString(" A4")
			if got := ta.Value(); got != c.want {
				t.Errorf("%q, want %q", got, c.want)
			}
		})
	}
}
