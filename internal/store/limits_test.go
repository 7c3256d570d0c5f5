package store

import (
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/incident"
)

func TestStoreHoldsTheTypingLimits(t *testing.T) {
	s := openTemp(t)
	inc, err := incident.NewIncident("x", 2, t0, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	inc.Roles[incident.RoleLead] = strings.Repeat("a", incident.MaxNameRunes+1)
	if _, err := s.CreateIncident(inc, "amara"); err == nil || !strings.Contains(err.Error(), "the name of the resolution lead is 81 characters long") {
		t.Fatalf("CreateIncident with a long lead: %v", err)
	}
	declare(t, s, "x")
	if err := s.SetTitle(1, strings.Repeat("t", incident.MaxTitleRunes+1), t0, "amara"); err == nil {
		t.Fatal("SetTitle took a title over the limit")
	}

	for name, spoil := range map[string]func(inc *incident.Incident){
		"a long author": func(inc *incident.Incident) { inc.Entries[3].Author = strings.Repeat("a", incident.MaxNameRunes+1) },
		"a 65 KB note": func(inc *incident.Incident) {
			inc.Entries[3].Kind, inc.Entries[3].Text = incident.KindNote, strings.Repeat("x", incident.MaxTextBytes+1)
		},
		"an update state": func(inc *incident.Incident) { inc.Updates[0].Status = "exploded" },
		"a delivery": func(inc *incident.Incident) {
			inc.Updates[0].Delivery = []incident.Delivery{{Target: "clipboard", State: "teleported"}}
		},
	} {
		demo := incident.Demo(t0)
		spoil(demo)
		if _, err := s.ImportIncident(demo); err == nil {
			t.Errorf("importing %s worked", name)
		}
	}
	list, err := s.ListIncidents()
	if err != nil || len(list) != 1 {
		t.Fatalf("refused imports left incidents behind: %d, %v", len(list), err)
	}
	if _, err := s.ImportIncident(incident.Demo(t0)); err != nil {
		t.Fatalf("importing the demo: %v", err)
	}
}
