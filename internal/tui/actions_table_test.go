package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/warroom-cli/warroom/internal/incident"
)

// TestFlowActionsTable: the actions table shows whole owners and due
// dates (another year's with its year and overdue mark), at both sizes.
func TestFlowActionsTable(t *testing.T) {
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			st := openStore(t)
			id := seedHandbook(t, st)
			if _, err := st.UpdateRetro(id, "amara", pinned, func(r *incident.Retro) error {
				r.Actions = append(r.Actions,
					incident.Action{UID: "a1", Title: "Alert when the PSP rejects more than 1% of authorisations", Kind: incident.Immediate, Owner: "Maximilian Grünewald", Due: time.Date(2018, 10, 3, 17, 0, 0, 0, time.UTC)},
					incident.Action{UID: "a2", Title: "Load test the failover path", Kind: incident.LongTerm, Owner: "jonas", Due: pinned.Add(72 * time.Hour)},
					incident.Action{UID: "a3", Title: "Tell the PSP before traffic peaks", Kind: incident.LongTerm})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			tm := startProgram(t, st, id, size[0], size[1])
			waitFor(t, tm, "Failover to secondary PSP")
			tm.Type("/retro")
			tm.Send(keyMsg("enter"))
			waitFor(t, tm, "Retrospective")
			for range 3 {
				tm.Send(keyMsg("j"))
			}
			tm.Send(keyMsg("enter"))
			waitFor(t, tm, "open · 0 done")
			final := finish(t, tm)
			view := final.View()
			checkFrame(t, view, size[0], size[1])
			for _, want := range []string{"Maximilian Grünewald", "! 2018-10-03", "3 2018 17:00"} {
				if !strings.Contains(view, want) {
					t.Errorf("the actions table lacks %q:\n%s", want, view)
				}
			}
			golden.RequireEqual(t, []byte(view))
		})
	}
}
