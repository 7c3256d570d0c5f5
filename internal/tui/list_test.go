package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

func TestListFiltersAndOpens(t *testing.T) {
	st := openStore(t)
	first := seedHandbook(t, st)
	second := seedMany(t, st, 3)
	// Resolve the first so there is a past incident.
	c, _ := incident.ParseCapture("/resolved", pinned)
	if _, err := st.Apply(first, c, pinned, "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, st, 0, 120, 40)
	if m.screen != common.ScreenList {
		t.Fatal("with no incident the program does not start on the list")
	}
	view := m.View()
	if !strings.Contains(view, "Open (1)") || !strings.Contains(view, "Past (1)") {
		t.Fatalf("the list does not split open and past:\n%s", view)
	}
	if strings.Index(view, "Incident with 3 entries") > strings.Index(view, "Checkout payments failing") {
		t.Fatal("open incidents are not listed first")
	}
	m = typeText(t, m, "checkout")
	view = m.View()
	if strings.Contains(view, "Incident with 3 entries") || !strings.Contains(view, "Checkout payments failing") {
		t.Fatalf("the filter did not narrow the list:\n%s", view)
	}
	m = press(t, m, "enter")
	if m.screen != common.ScreenCockpit || m.ctx.IncidentID != first || !strings.Contains(m.View(), "Checkout payments failing") {
		t.Fatalf("enter did not open the filtered incident")
	}
	// Back to the list and open the other one with the arrows.
	m = press(t, m, "tab", "L")
	if m.screen != common.ScreenList || m.list.Filter.Value() != "" {
		t.Fatal("L did not open a fresh list")
	}
	m = press(t, m, "down", "up")
	m = press(t, m, "enter")
	if m.ctx.IncidentID != second {
		t.Fatalf("opened INC-%d, want INC-%d", m.ctx.IncidentID, second)
	}
}

func TestListDeclaresNewIncident(t *testing.T) {
	st := openStore(t)
	m := newModel(t, st, 0, 120, 40)
	if !strings.Contains(m.View(), "No incidents yet") {
		t.Fatalf("an empty list does not say how to start:\n%s", m.View())
	}
	m = press(t, m, "ctrl+n")
	m = typeText(t, m, "Search returns stale results")
	m = press(t, m, "tab")
	m = press(t, m, "backspace")
	m = typeText(t, m, "9")
	m = press(t, m, "tab", "tab", "enter")
	if !strings.Contains(m.View(), "severity") || m.screen != common.ScreenList {
		t.Fatalf("a bad severity was not refused inline:\n%s", m.View())
	}
	m = press(t, m, "shift+tab", "shift+tab", "backspace")
	m = typeText(t, m, "2")
	m = press(t, m, "tab", "tab")
	m = typeText(t, m, "jonas")
	m = press(t, m, "enter")
	if m.screen != common.ScreenCockpit || m.ctx.IncidentID == 0 {
		t.Fatalf("declaring did not open the cockpit:\n%s", m.View())
	}
	inc, err := st.Incident(m.ctx.IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Title != "Search returns stale results" || inc.Severity != 2 || inc.Roles[incident.RoleLead] != "amara" || inc.Roles[incident.RoleComms] != "jonas" {
		t.Fatalf("declared %+v", inc)
	}
	if !strings.Contains(m.View(), "Search returns stale results") || !strings.Contains(m.View(), "SEV2") {
		t.Fatalf("the cockpit does not show the new incident:\n%s", m.View())
	}
}

func TestScreenKeysNeedAnIncident(t *testing.T) {
	st := openStore(t)
	m := newModel(t, st, 0, 120, 40)
	m = press(t, m, "esc")
	if m.screen != common.ScreenList {
		t.Fatal("esc left the list with no incident to show")
	}
}

// TestListSearchesAcrossTimelines: the filter also finds incidents by what
// their timelines, updates and retros say, and says where it matched.
func TestListSearchesAcrossTimelines(t *testing.T) {
	st := openStore(t)
	seedHandbook(t, st)
	seedMany(t, st, 3)
	m := newModel(t, st, 0, 120, 40)
	m = typeText(t, m, "rate-limits")
	view := m.View()
	if !strings.Contains(view, "Checkout payments failing") || strings.Contains(view, "Incident with 3 entries") {
		t.Fatalf("the filter did not find the incident by its timeline:\n%s", view)
	}
	if !strings.Contains(view, "found in entry") || !strings.Contains(view, "PSP rate-limits our EU merchant id") {
		t.Fatalf("the list does not say where it matched:\n%s", view)
	}
	checkFrame(t, view, 120, 40)
	m = typeText(t, m, "zzz")
	if view = m.View(); !strings.Contains(view, "Nothing matches the filter") {
		t.Fatalf("a filter that matches nothing still lists incidents:\n%s", view)
	}
}

// The list shows each incident's overdue action items.
func TestListShowsOverdueActions(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	if _, err := st.UpdateRetro(id, "amara", pinned, func(r *incident.Retro) error {
		r.Actions = append(r.Actions,
			incident.Action{UID: "a1", Title: "Alert on the pool", Kind: incident.Immediate, Due: pinned.Add(-time.Hour)},
			incident.Action{UID: "a2", Title: "Load test", Kind: incident.LongTerm, Due: pinned.Add(-2 * time.Hour)},
			incident.Action{UID: "a3", Title: "Later", Kind: incident.LongTerm, Due: pinned.Add(time.Hour)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, Width: 120, Height: 40})
	m = drive(t, m, m.Init())
	if v := m.View(); !strings.Contains(v, "2 overdue actions") {
		t.Fatalf("the list does not show the overdue actions:\n%s", v)
	}
}

// TestDeclareFormSelectsAndAsks: a pre-filled field's text is selected on
// focus (typing replaces it), and esc on a filled form asks first.
func TestDeclareFormSelectsAndAsks(t *testing.T) {
	st := openStore(t)
	m := newModel(t, st, 0, 120, 40)
	m = press(t, m, "ctrl+n", "esc")
	if strings.Contains(m.View(), "Discard this incident?") || strings.Contains(m.View(), "Resolution lead") {
		t.Fatalf("esc on an untouched form asked or kept the form:\n%s", m.View())
	}
	m = press(t, m, "ctrl+n")
	m = typeText(t, m, "Search returns stale results")
	m = press(t, m, "tab")
	m = typeText(t, m, "1")
	m = press(t, m, "tab")
	// Moving inside a selected field keeps its text.
	m = send(t, m, tea.KeyMsg{Type: tea.KeyLeft})
	m = typeText(t, m, "x")
	m = press(t, m, "tab")
	m = typeText(t, m, "jonas")

	m = press(t, m, "esc")
	if !strings.Contains(m.View(), "Discard this incident?") {
		t.Fatalf("esc on a filled form did not ask:\n%s", m.View())
	}
	m = answer(t, m, "n")
	if strings.Contains(m.View(), "Discard this incident?") || !strings.Contains(m.View(), "Search returns stale results") {
		t.Fatalf("n did not go back to the form as typed:\n%s", m.View())
	}
	m = press(t, m, "ctrl+s")
	if m.screen != common.ScreenCockpit {
		t.Fatalf("ctrl+s did not declare:\n%s", m.View())
	}
	inc, err := st.Incident(m.ctx.IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Severity != 1 || inc.Roles[incident.RoleLead] != "amarxa" || inc.Roles[incident.RoleComms] != "jonas" {
		t.Fatalf("declared SEV%d lead %q comms %q; want SEV1, the lead edited in place, jonas", inc.Severity, inc.Roles[incident.RoleLead], inc.Roles[incident.RoleComms])
	}

	// esc then y discards a filled form; nothing is declared.
	m = press(t, m, "tab", "L", "ctrl+n")
	m = typeText(t, m, "Never mind")
	m = answer(t, press(t, m, "esc"), "y")
	if strings.Contains(m.View(), "Never mind") {
		t.Fatalf("y did not discard the form:\n%s", m.View())
	}
	if sums, _ := st.ListIncidents(); len(sums) != 1 {
		t.Fatalf("%d incidents after discarding, want 1", len(sums))
	}
}

// TestOpenFromSearchJumpsToEntry: opening an incident that the list found
// by an entry's text opens the cockpit on that entry, selected.
func TestOpenFromSearchJumpsToEntry(t *testing.T) {
	st := openStore(t)
	seedHandbook(t, st)
	seedMany(t, st, 3)
	m := newModel(t, st, 0, 80, 24)
	m = typeText(t, m, "rate-limits")
	m = press(t, m, "enter")
	if m.screen != common.ScreenCockpit {
		t.Fatalf("enter did not open the incident:\n%s", m.View())
	}
	sel, ok := m.cockpit.Timeline.Selected()
	if !ok || !strings.Contains(sel.Text, "PSP rate-limits our EU merchant id") {
		t.Fatalf("the cockpit did not open on the matching entry: %+v\n%s", sel, m.View())
	}
	if !strings.Contains(m.View(), `"rate-limits" 1/1`) {
		t.Fatalf("the search is not shown:\n%s", m.View())
	}
}
