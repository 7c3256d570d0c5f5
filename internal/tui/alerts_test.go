package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/alert"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// receiveAlert applies an alert fixture as if it had arrived at the pinned
// time: its times are moved onto the pinned day.
func receiveAlert(t *testing.T, st *store.Store, fixture string, declare bool) store.AlertResult {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "alert", "testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.ReplaceAll(string(data), "2026-12-06", pinned.Format("2006-01-02")))
	ev, err := alert.Decode(data, alert.Auto, pinned)
	if err != nil {
		t.Fatal(err)
	}
	r := alert.DefaultRules()
	r.Declare = declare
	res, err := st.ApplyAlerts([]incident.AlertBatch{alert.Plan(ev, r)}, declare, pinned)
	if err != nil {
		t.Fatal(err)
	}
	return res[0]
}

func TestPendingAlertDeclaredFromTheList(t *testing.T) {
	st := openStore(t)
	seedMany(t, st, 3)
	if res := receiveAlert(t, st, "am_firing.json", false); res.Pending == "" {
		t.Fatalf("with declaring off the alert did not wait: %+v", res)
	}
	m := newModel(t, st, 0, 120, 40)
	view := m.View()
	if !strings.Contains(view, "Pending alerts (1)") || !strings.Contains(view, "Payments API returns 5xx above 5%") {
		t.Fatalf("the list does not show the pending alert:\n%s", view)
	}
	if strings.Index(view, "Pending alerts") > strings.Index(view, "Open (1)") {
		t.Fatalf("pending alerts are not listed first:\n%s", view)
	}
	// ctrl+n on the alert opens the form filled in from it.
	m = press(t, m, "ctrl+n")
	view = m.View()
	if !strings.Contains(view, "Declare the alert Payments5xx") || !strings.Contains(view, "Payments API returns 5xx above 5%") {
		t.Fatalf("ctrl+n on a pending alert did not open its form:\n%s", view)
	}
	if !strings.Contains(view, "SEV1") && !strings.Contains(view, " 1 ") {
		t.Fatalf("the form does not carry the alert's severity (critical = 1):\n%s", view)
	}
	// The lead changes the title and declares.
	m = press(t, m, "ctrl+u")
	m = typeText(t, m, "Payments 5xx in EU")
	m = press(t, m, "ctrl+s")
	if m.screen != common.ScreenCockpit || m.ctx.IncidentID == 0 {
		t.Fatalf("declaring did not open the cockpit:\n%s", m.View())
	}
	inc, err := st.Incident(m.ctx.IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Title != "Payments 5xx in EU" || inc.Severity != 1 || inc.Alert == nil || inc.Alert.Name != "Payments5xx" {
		t.Fatalf("declared %q sev %d from %+v", inc.Title, inc.Severity, inc.Alert)
	}
	if inc.Roles[incident.RoleLead] != "amara" {
		t.Fatalf("the lead is %q, want the person declaring", inc.Roles[incident.RoleLead])
	}
	view = m.View()
	if !strings.Contains(view, "from alert Payments5xx · alertmanager") {
		t.Fatalf("the cockpit does not say where the incident came from:\n%s", view)
	}
	if !strings.Contains(view, common.AlertMark) {
		t.Fatalf("the alert's entries have no mark of their own:\n%s", view)
	}
	pend, err := st.PendingAlerts()
	if err != nil || len(pend) != 0 {
		t.Fatalf("the alert is still pending after it was declared: %v %v", pend, err)
	}
}

func TestPendingAlertDismissedAfterAsking(t *testing.T) {
	st := openStore(t)
	receiveAlert(t, st, "am_firing.json", false)
	m := newModel(t, st, 0, 120, 40)
	m = press(t, m, "ctrl+x")
	if !strings.Contains(m.View(), "Dismiss the alert Payments5xx?") {
		t.Fatalf("ctrl+x did not ask:\n%s", m.View())
	}
	m = answer(t, m, "n")
	if pend, _ := st.PendingAlerts(); len(pend) != 1 {
		t.Fatal("n dismissed the alert")
	}
	if strings.Contains(m.View(), "Dismiss the alert") {
		t.Fatalf("n did not close the question:\n%s", m.View())
	}
	m = press(t, m, "ctrl+x")
	m = answer(t, m, "y")
	if pend, _ := st.PendingAlerts(); len(pend) != 0 {
		t.Fatal("y did not dismiss the alert")
	}
	if !strings.Contains(m.View(), "was dismissed") {
		t.Fatalf("dismissing says nothing:\n%s", m.View())
	}
}

func TestAlertEntriesFilter(t *testing.T) {
	st := openStore(t)
	res := receiveAlert(t, st, "am_firing.json", true)
	if !res.Declared {
		t.Fatalf("the alert did not declare: %+v", res)
	}
	c, _ := incident.ParseCapture("looking at the payments dashboards", pinned)
	if _, err := st.Apply(res.ID, c, pinned, "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, st, res.ID, 120, 40)
	if !strings.Contains(m.View(), "looking at the payments dashboards") {
		t.Fatalf("the person's entry is not shown:\n%s", m.View())
	}
	m = press(t, m, "tab")
	for range 12 {
		m = press(t, m, "f")
		if strings.Contains(m.View(), "alerts only") {
			break
		}
	}
	view := m.View()
	if !strings.Contains(view, "alerts only") {
		t.Fatalf("f never reached the alerts filter:\n%s", view)
	}
	if strings.Contains(view, "looking at the payments dashboards") || !strings.Contains(view, "Labels:") {
		t.Fatalf("the alerts filter does not show only what alerts wrote:\n%s", view)
	}
}
