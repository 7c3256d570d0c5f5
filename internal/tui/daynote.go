package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// dayNote says on the status line where a line typed with a time not of
// today landed ("@23:00" typed at 10:17 is yesterday's, off screen):
// "Logged at 23:00 yesterday, Dec 5". Lines of today need no note.
func dayNote(msg common.AppliedMsg, now time.Time) string {
	for _, e := range msg.Result.Entries {
		if incident.DayWord(e.At, now) == "" {
			continue
		}
		what := "Logged"
		if e.Kind == incident.KindMilestone {
			what = incident.CleanLine(e.Text) + " set"
		}
		return fmt.Sprintf("%s at %s", what, incident.ClockWithDay(e.At, now))
	}
	return ""
}

// waitingNote says on the status line, each second, that typed lines wait
// for a busy file or a full disk, and clears that once they are written.
func (m *Model) waitingNote() {
	n, why := m.ctx.WaitingWrites()
	if n > 0 {
		// The lines queued behind the one being tried wait too.
		n = max(n, len(m.cockpit.Timeline.Pending))
	}
	switch {
	case n > 0:
		m.status, m.statusErr = fmt.Sprintf("%d typed %s waiting to be written in order once possible: %s",
			n, common.Plural(n, "line", "lines"), why), true
		m.waiting = true
	case m.waiting:
		m.waiting = false
		if m.statusErr && strings.Contains(m.status, "waiting to be written in order once possible") {
			m.status, m.statusErr = "The waiting lines are saved", false
		}
	}
}
