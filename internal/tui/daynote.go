package tui

import (
	"fmt"
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
