package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStats(t *testing.T) {
	e := newEnv(t)
	e.createEmptyDB()
	if out := e.ok("stats"); !strings.Contains(out, "No incidents yet") {
		t.Errorf("stats on an empty database printed %q", out)
	}
	e.ok("demo", "--no-open")
	e.newIncident("Login slow", "--sev", "3")
	e.ok("log", "-i", "2", "/tag payments")
	out := e.ok("stats")
	for _, want := range []string{"Incidents: 2 (2 open)", "By severity: SEV1 0, SEV2 1, SEV3 1, SEV4 0", "Action items: 3 open", "Frequent tags: payments (2)"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
	var s struct {
		Incidents  int            `json:"incidents"`
		BySeverity map[string]int `json:"by_severity"`
		ByMonth    []struct {
			Month string `json:"month"`
			Total int    `json:"total"`
		} `json:"by_month"`
		Actions struct {
			Open  int `json:"open"`
			Items []struct {
				Incident string `json:"incident"`
			} `json:"open_items"`
		} `json:"actions"`
		Tags []struct {
			Tag   string `json:"tag"`
			Count int    `json:"count"`
		} `json:"tags"`
	}
	if err := json.Unmarshal([]byte(e.ok("stats", "--json")), &s); err != nil {
		t.Fatal(err)
	}
	if s.Incidents != 2 || s.BySeverity["SEV2"] != 1 || s.Actions.Open != 3 || len(s.Actions.Items) != 3 || s.Tags[0].Tag != "payments" || s.Tags[0].Count != 2 {
		t.Errorf("stats --json = %+v", s)
	}
	months := 0
	for _, m := range s.ByMonth {
		months += m.Total
	}
	if months != 2 {
		t.Errorf("by_month adds up to %d, want 2", months)
	}
}
