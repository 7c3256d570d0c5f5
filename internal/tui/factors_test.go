package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// A factor is added beside the chain, linked to two timeline entries chosen
// in the picker, flagged as luck, and an action names it; the second factor
// survives quitting half-typed.
func TestRetroFlowContributingFactors(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	tm := startRetro(t, st, id)
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("j")) // Five whys
	tm.Send(keyMsg("enter"))
	waitOutput(t, tm, "What else made it possible?")

	tm.Send(keyMsg("f"))
	tm.Type("Nobody was paged for PSP rate-limit warnings")
	tm.Send(keyMsg("enter"))
	tm.Send(keyMsg("enter"))
	r := waitStore(t, st, id, "the factor", func(r incident.Retro) bool { return len(r.Factors) == 1 })
	if f := r.Factors[0]; f.Cause != "Nobody was paged for PSP rate-limit warnings" || f.Lucky || f.Author != "amara" || f.UID == "" {
		t.Fatalf("factor stored as %+v", f)
	}
	waitOutput(t, tm, "F1")

	// The picker opens on the last entry; link it and the one before
	// (tab links, ↑ moves: letters find).
	inc, err := st.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	vis := inc.VisibleEntries()
	last, before := vis[len(vis)-1], vis[len(vis)-2]
	tm.Send(keyMsg("t"))
	waitOutput(t, tm, "Evidence from the timeline")
	tm.Send(keyMsg("tab"))
	tm.Send(keyMsg("up"))
	tm.Send(keyMsg("tab"))
	tm.Send(keyMsg("enter"))
	r = waitStore(t, st, id, "the evidence", func(r incident.Retro) bool { return len(r.Factors[0].Evidence) == 2 })
	if ev := r.Factors[0].Evidence; ev[0] != before.UID || ev[1] != last.UID {
		t.Errorf("evidence = %v; want %s then %s in timeline order", ev, before.UID, last.UID)
	}
	waitOutput(t, tm, "↳")

	tm.Send(keyMsg("l"))
	waitStore(t, st, id, "the luck flag", func(r incident.Retro) bool { return r.Factors[0].Lucky })

	// tab goes back to the chain; an action in the Actions section names
	// the factor.
	tm.Send(keyMsg("tab"))
	tm.Send(keyMsg("esc"))
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("enter"))
	waitOutput(t, tm, "No actions yet")
	tm.Send(keyMsg("a"))
	tm.Type("Page on PSP rate-limit warnings")
	for range 5 {
		tm.Send(keyMsg("tab"))
	}
	tm.Type("f1")
	tm.Send(keyMsg("enter"))
	r = waitStore(t, st, id, "the action", func(r incident.Retro) bool { return len(r.Actions) == 1 })
	if a := r.Actions[0]; a.Addresses != r.Factors[0].UID {
		t.Errorf("action addresses %q; want factor 1's uid %q", a.Addresses, r.Factors[0].UID)
	}
	waitOutput(t, tm, "addresses factor 1")

	// A factor typed but not saved comes back after quitting.
	tm.Send(keyMsg("esc"))
	tm.Send(keyMsg("k"))
	tm.Send(keyMsg("enter"))
	tm.Send(keyMsg("f"))
	tm.Type("Half-typed factor")
	quit(t, tm)

	tm = startRetro(t, st, id)
	waitOutput(t, tm, "unfinished factor")
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("enter"))
	waitOutput(t, tm, "Half-typed factor")
	tm.Send(keyMsg("enter"))
	tm.Send(keyMsg("enter"))
	waitStore(t, st, id, "the restored factor", func(r incident.Retro) bool {
		return len(r.Factors) == 2 && r.Factors[1].Cause == "Half-typed factor"
	})
	quit(t, tm)
}

// A choice field (a new factor's "no", a new action's "immediate") is
// selected when moved into: typing replaces it instead of giving "noyes".
// A prose field moved into keeps its text for the typing to go on.
func TestRetroChoiceFieldsAreReplacedByTyping(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R", "j", "j", "enter", "f") // Five whys, new factor
	m = typeText(t, m, "Alerts went to a muted channel")
	m = press(t, m, "tab")
	m = typeText(t, m, "yes")
	m = press(t, m, "enter")
	m.ctx.WaitWrites()
	r := retroOf(t, st, id)
	if len(r.Factors) != 1 || !r.Factors[0].Lucky || r.Factors[0].Cause != "Alerts went to a muted channel" {
		t.Fatalf("factors after typing yes over no: %+v", r.Factors)
	}

	m = press(t, m, "esc", "j", "enter", "a") // Actions, new action
	m = typeText(t, m, "Unmute the payments alerts")
	m = press(t, m, "tab")
	m = typeText(t, m, "long-term")
	m = press(t, m, "ctrl+s")
	m.ctx.WaitWrites()
	r = retroOf(t, st, id)
	if len(r.Actions) != 1 || r.Actions[0].Kind != incident.LongTerm {
		t.Fatalf("actions after typing long-term over immediate: %+v", r.Actions)
	}

	// Tabbing back into the title (prose) appends.
	m = press(t, m, "e", "tab", "shift+tab")
	m = typeText(t, m, " now")
	m = press(t, m, "ctrl+s")
	m.ctx.WaitWrites()
	if got := retroOf(t, st, id).Actions[0].Title; got != "Unmute the payments alerts now" {
		t.Errorf("title after tabbing back and typing = %q", got)
	}
}

// The evidence picker finds as you type: an early entry of the timeline is
// a few letters away.
func TestEvidencePickerFiltersAsYouType(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R", "j", "j", "enter", "f") // Five whys, new factor
	m = typeText(t, m, "Nobody was paged for PSP warnings")
	m = press(t, m, "enter", "enter")
	m.ctx.WaitWrites()
	m = send(t, m, common.ReloadMsg{})
	m = press(t, m, "t")
	if !strings.Contains(m.View(), "type to find an entry") {
		t.Fatalf("the picker does not offer to find:\n%s", m.View())
	}
	m = typeText(t, m, "paged pay")
	v := m.View()
	if !strings.Contains(v, "Paged payments on-call (dmitri)") || strings.Contains(v, "Failover to secondary PSP started") || !strings.Contains(v, "1 of ") {
		t.Fatalf("typing did not narrow the entries to the one matching:\n%s", v)
	}
	m = press(t, m, "tab", "enter")
	m.ctx.WaitWrites()
	var want string
	for _, e := range entries(t, st, id) {
		if e.Text == "Paged payments on-call (dmitri)" {
			want = e.UID
		}
	}
	r := retroOf(t, st, id)
	if len(r.Factors) != 1 || !slices.Equal(r.Factors[0].Evidence, []string{want}) {
		t.Fatalf("evidence %v, want the paged entry %s", r.Factors, want)
	}
}
