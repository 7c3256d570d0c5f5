package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// TestHeaderShowsRetroDueOnceResolved: the ETA slot turns into the retro's
// due time after resolution, OVERDUE once it has passed, and "final" when
// the retro is done.
func TestHeaderShowsRetroDueOnceResolved(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	if strings.Contains(m.View(), "retro due") {
		t.Fatal("an open incident shows a retro due time")
	}

	resolvedAt := pinned.Add(-30 * time.Minute)
	c, _ := incident.ParseCapture("/resolved "+resolvedAt.Format("15:04"), pinned)
	if _, err := st.Apply(id, c, pinned, "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	m = newModel(t, st, id, 120, 40)
	header := strings.Join(strings.Split(m.View(), "\n")[:2], "\n")
	if !strings.Contains(header, "retro due 15:15") || !strings.Contains(header, "in 1h30m") {
		t.Fatalf("header after resolving:\n%s", header)
	}

	late := func() time.Time { return pinned.Add(3 * time.Hour) }
	m2 := New(Options{Store: st, Config: testConfig(), Now: late, IncidentID: id, Width: 120, Height: 40})
	m2 = drive(t, m2, m2.Init())
	header = strings.Join(strings.Split(m2.View(), "\n")[:2], "\n")
	if !strings.Contains(header, "retro OVERDUE +1h30m") {
		t.Fatalf("header when the retro is late:\n%s", header)
	}

	if _, err := st.UpdateRetro(id, "ben", pinned, func(r *incident.Retro) error { r.Status = incident.RetroFinal; return nil }); err != nil {
		t.Fatal(err)
	}
	m2 = New(Options{Store: st, Config: testConfig(), Now: late, IncidentID: id, Width: 120, Height: 40})
	m2 = drive(t, m2, m2.Init())
	if header = strings.Join(strings.Split(m2.View(), "\n")[:2], "\n"); !strings.Contains(header, "retro final") {
		t.Fatalf("header with a final retro:\n%s", header)
	}
}
