package store

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// retroOf reads the retro back from the file, as another process would.
func retroOf(t *testing.T, s *Store, id int64) incident.Retro {
	t.Helper()
	inc, err := s.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	return inc.Retro
}

func updateRetro(t *testing.T, s *Store, id int64, fn func(r *incident.Retro) error) incident.Retro {
	t.Helper()
	r, err := s.UpdateRetro(id, "amara", t0, fn)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRetroSectionsRoundTrip(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	if got := retroOf(t, s, inc.ID); got.Status != incident.RetroDraft {
		t.Errorf("a new incident's retro status = %q; want draft", got.Status)
	}
	updateRetro(t, s, inc.ID, func(r *incident.Retro) error {
		incident.EnsureSections(r, incident.RetroPresets["google-sre"])
		_, err := incident.SetSectionText(r, "Introduction", "Checkout failed for 40 minutes.\nWe rolled back.", "amara", t0)
		return err
	})
	updateRetro(t, s, inc.ID, func(r *incident.Retro) error {
		_, err := incident.SetSectionText(r, "Where we got lucky", "It was a quiet hour. | not a table", "li", t0.Add(time.Minute))
		return err
	})
	got := retroOf(t, s, inc.ID)
	var titles []string
	for _, sec := range got.Sections {
		titles = append(titles, sec.Title)
	}
	if !slices.Equal(titles, incident.RetroPresets["google-sre"]) {
		t.Errorf("sections = %q", titles)
	}
	intro := got.Section("Introduction")
	if intro.Text != "Checkout failed for 40 minutes.\nWe rolled back." || !slices.Equal(intro.Contributors, []string{"amara"}) || !intro.Edited.Equal(t0) {
		t.Errorf("introduction = %+v", *intro)
	}
	if luck := got.Section("Where we got lucky"); luck.Text != "It was a quiet hour. | not a table" || !slices.Equal(luck.Contributors, []string{"li"}) {
		t.Errorf("lucky = %+v", *luck)
	}

	// Narrowing the config keeps the written text.
	updateRetro(t, s, inc.ID, func(r *incident.Retro) error {
		incident.EnsureSections(r, []string{"Timeline", "Introduction"})
		return nil
	})
	got = retroOf(t, s, inc.ID)
	titles = titles[:0]
	for _, sec := range got.Sections {
		titles = append(titles, sec.Title)
	}
	if want := []string{"Timeline", "Introduction", "Where we got lucky"}; !slices.Equal(titles, want) {
		t.Errorf("after narrowing the config, sections = %q; want %q", titles, want)
	}
}

func TestRetroWhysRoundTrip(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	steps := [][2]string{
		{"Why did checkout fail?", "The database ran out of connections."},
		{"Why?", "A deploy doubled the pool size."},
		{"Why was it not caught?", "Staging has no load test."},
	}
	for i, st := range steps {
		updateRetro(t, s, inc.ID, func(r *incident.Retro) error {
			_, err := incident.AddWhy(r, st[0], st[1], "amara", t0.Add(time.Duration(i)*time.Minute))
			return err
		})
	}
	updateRetro(t, s, inc.ID, func(r *incident.Retro) error {
		_, err := incident.MarkRootCause(r, 2, "li", t0)
		return err
	})
	got := retroOf(t, s, inc.ID)
	if len(got.Whys) != 3 || got.RootCause() != 2 || got.Whys[1].Because != steps[1][1] || got.Whys[0].Author != "amara" {
		t.Fatalf("whys = %+v", got.Whys)
	}
	if c := got.Section(incident.SectionWhys).Contributors; !slices.Equal(c, []string{"amara", "li"}) {
		t.Errorf("five whys contributors = %q", c)
	}

	updateRetro(t, s, inc.ID, func(r *incident.Retro) error {
		if _, err := incident.MoveWhy(r, 2, -1, "kim", t0); err != nil {
			return err
		}
		return incident.EditWhy(r, 0, "Why did checkout fail?", "Connections ran out.", "kim", t0)
	})
	got = retroOf(t, s, inc.ID)
	if got.Whys[1].Why != steps[2][0] || !got.Whys[1].RootCause || got.Whys[0].Because != "Connections ran out." {
		t.Fatalf("after move and edit, whys = %+v", got.Whys)
	}
	updateRetro(t, s, inc.ID, func(r *incident.Retro) error { return incident.DeleteWhy(r, 0, "kim", t0) })
	got = retroOf(t, s, inc.ID)
	if len(got.Whys) != 2 || got.RootCause() != 0 || got.Whys[1].Why != steps[1][0] {
		t.Fatalf("after delete, whys = %+v", got.Whys)
	}
}

func TestRetroActionsRoundTrip(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	n := 0
	uid := func() string { n++; return "act-" + strconv.Itoa(n) }
	due := time.Date(2026, 11, 30, 17, 0, 0, 0, time.FixedZone("CET", 3600))
	updateRetro(t, s, inc.ID, func(r *incident.Retro) error {
		if _, err := incident.AddAction(r, incident.Action{Title: "Alert on pool use", Owner: "li", Due: due, Link: "https://tracker.example/OPS-1"}, "amara", t0, uid); err != nil {
			return err
		}
		_, err := incident.AddAction(r, incident.Action{Title: "Load test in staging", Kind: incident.LongTerm, Owner: "kim"}, "amara", t0, uid)
		return err
	})
	got := retroOf(t, s, inc.ID)
	if len(got.Actions) != 2 {
		t.Fatalf("actions = %+v", got.Actions)
	}
	a := got.Actions[0]
	if a.UID != "act-1" || a.Title != "Alert on pool use" || a.Kind != incident.Immediate || a.Owner != "li" || !a.Due.Equal(due) || a.Link != "https://tracker.example/OPS-1" || a.Author != "amara" || a.Done {
		t.Errorf("first action = %+v", a)
	}
	if b := got.Actions[1]; b.Kind != incident.LongTerm || b.UID != "act-2" || !b.Due.IsZero() {
		t.Errorf("second action = %+v", b)
	}
	if !a.Overdue(due.Add(time.Minute)) {
		t.Error("the stored due date does not make the action overdue after it")
	}

	updateRetro(t, s, inc.ID, func(r *incident.Retro) error {
		if _, err := incident.ToggleAction(r, "act-2", "kim", t0); err != nil {
			return err
		}
		return incident.EditAction(r, "act-1", incident.Action{Title: "Alert on pool use above 80%", Kind: incident.LongTerm, Owner: "li", Due: due}, "kim", t0)
	})
	got = retroOf(t, s, inc.ID)
	if !got.Action("act-2").Done || got.Action("act-1").Title != "Alert on pool use above 80%" || got.Action("act-1").Link != "" || got.Action("act-1").Kind != incident.LongTerm {
		t.Errorf("after toggle and edit, actions = %+v", got.Actions)
	}
	updateRetro(t, s, inc.ID, func(r *incident.Retro) error { return incident.DeleteAction(r, "act-1", "li", t0) })
	got = retroOf(t, s, inc.ID)
	if len(got.Actions) != 1 || got.Actions[0].UID != "act-2" {
		t.Errorf("after delete, actions = %+v", got.Actions)
	}
	if c := got.Section(incident.SectionActions).Contributors; !slices.Equal(c, []string{"amara", "kim", "li"}) {
		t.Errorf("actions contributors = %q", c)
	}
}

func TestRetroStatusAndDueRoundTrip(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	resolvedAt := t0.Add(time.Hour)
	if _, err := s.Apply(inc.ID, incident.Capture{Command: incident.CmdMilestone, Milestone: incident.MResolved}, resolvedAt, "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	full, err := s.Incident(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if due, ok := incident.RetroDue(full, incident.DefaultPolicy()); !ok || !due.Equal(resolvedAt.Add(2*time.Hour)) {
		t.Errorf("RetroDue from the store = %v, %v", due, ok)
	}

	custom := t0.Add(26 * time.Hour)
	updateRetro(t, s, inc.ID, func(r *incident.Retro) error {
		r.Due = custom
		_, err := incident.SetRetroStatus(r, incident.RetroFinal)
		return err
	})
	full, err = s.Incident(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if full.Retro.Status != incident.RetroFinal || !full.Retro.Due.Equal(custom) {
		t.Errorf("retro = %+v", full.Retro)
	}
	if due, _ := incident.RetroDue(full, incident.DefaultPolicy()); !due.Equal(custom) {
		t.Errorf("RetroDue = %v; want the explicit %v", due, custom)
	}
	if _, over := incident.RetroOverdue(full, incident.DefaultPolicy(), custom.Add(time.Hour)); over {
		t.Error("a final retro is reported overdue")
	}

	// Writing the head does not disturb the retro.
	if err := s.SetTitle(inc.ID, "Checkout down", t0, "amara"); err != nil {
		t.Fatal(err)
	}
	if got := retroOf(t, s, inc.ID); got.Status != incident.RetroFinal || !got.Due.Equal(custom) {
		t.Errorf("after a head update, retro = %+v", got)
	}
}

func TestUpdateRetroFailureSavesNothing(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	updateRetro(t, s, inc.ID, func(r *incident.Retro) error {
		_, err := incident.SetSectionText(r, "Introduction", "kept", "amara", t0)
		return err
	})
	_, err := s.UpdateRetro(inc.ID, "amara", t0, func(r *incident.Retro) error {
		if _, err := incident.SetSectionText(r, "Introduction", "half-done", "amara", t0); err != nil {
			return err
		}
		return incident.DeleteWhy(r, 4, "amara", t0) // there is no such why
	})
	if err == nil {
		t.Fatal("UpdateRetro returned no error for a failing change")
	}
	r := retroOf(t, s, inc.ID)
	if got := r.Section("Introduction").Text; got != "kept" {
		t.Errorf("a failed change was partly saved: introduction = %q", got)
	}
	if _, err := s.UpdateRetro(999, "amara", t0, func(*incident.Retro) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateRetro on a missing incident = %v; want ErrNotFound", err)
	}
}
