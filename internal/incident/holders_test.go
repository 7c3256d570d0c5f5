package incident

import (
	"testing"
	"time"
)

func TestRoleHoldersListsEveryHolder(t *testing.T) {
	p := DefaultPolicy()
	inc, err := NewIncident("Checkout slow", 2, draftDeclared, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct{ line, at string }{
		{"/lead amara", "12:01"},
		{"/comms jonas", "12:02"},
		{"/lead dmitri", "12:30"},
		{"/role scribe lea", "12:40"},
		{"/lead amara", "13:10"},
	} {
		now := clockAt(s.at)
		c, err := ParseCapture(s.line, now)
		if err != nil {
			t.Fatalf("%s: %v", s.line, err)
		}
		res, err := Apply(inc, c, now, "amara", p)
		if err != nil {
			t.Fatalf("%s: %v", s.line, err)
		}
		for _, e := range res.Entries {
			e.ID = int64(len(inc.Entries) + 1)
			inc.Entries = append(inc.Entries, e)
		}
	}
	got := RoleHolders(inc)
	want := map[string][]Tenure{
		RoleLead: {
			{Person: "amara", From: clockAt("12:01"), Until: clockAt("12:30")},
			{Person: "dmitri", From: clockAt("12:30"), Until: clockAt("13:10")},
			{Person: "amara", From: clockAt("13:10")},
		},
		RoleComms: {{Person: "jonas", From: clockAt("12:02")}},
		"scribe":  {{Person: "lea", From: clockAt("12:40")}},
	}
	if len(got) != len(want) {
		t.Fatalf("RoleHolders = %+v, want %+v", got, want)
	}
	for r, w := range want {
		g := got[r]
		if len(g) != len(w) {
			t.Errorf("%s: %+v, want %+v", r, g, w)
			continue
		}
		for i := range w {
			if g[i].Person != w[i].Person || !g[i].From.Equal(w[i].From) || !g[i].Until.Equal(w[i].Until) {
				t.Errorf("%s tenure %d: %+v, want %+v", r, i, g[i], w[i])
			}
		}
	}
}

func TestRoleHoldersFromTheHeadAlone(t *testing.T) {
	created := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	inc := &Incident{Created: created, Roles: map[string]string{RoleLead: "amara"}}
	got := RoleHolders(inc)[RoleLead]
	if len(got) != 1 || got[0].Person != "amara" || !got[0].From.Equal(created) {
		t.Errorf("RoleHolders without entries = %+v, want amara from creation", got)
	}
}
