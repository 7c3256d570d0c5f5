package export

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

func TestJSONHasTheShowFields(t *testing.T) {
	inc := demo()
	inc.Milestones[incident.MResolved] = inc.Milestones[incident.Mitigated].Add(time.Hour)
	inc.Updates[0].Delivery = []incident.Delivery{{Target: "clipboard", State: incident.DeliveryCopied}}
	data, err := JSON(inc, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": "INC-7", "title": "Checkout failing for some customers", "severity": "SEV2", "status": "monitoring", "format_version": float64(1)}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %v", k, m[k], v)
		}
	}
	if roles := m["roles"].(map[string]any); roles["resolution lead"] != "amara" || roles["communication lead"] != "ben" {
		t.Errorf("roles = %v", roles)
	}
	ms := m["milestones"].(map[string]any)
	if ms["started"] != "2026-05-04T12:05:00Z" || ms["resolved"] != "2026-05-04T15:25:00Z" {
		t.Errorf("milestones = %v, want RFC 3339 times", ms)
	}
	entries := m["entries"].([]any)
	first := entries[0].(map[string]any)
	for _, k := range []string{"id", "at", "recorded_at", "author", "kind", "text", "starred"} {
		if _, ok := first[k]; !ok {
			t.Errorf("entry lacks %q: %v", k, first)
		}
	}
	if first["at"] != "2026-05-04T12:05:00Z" || first["kind"] != "milestone" {
		t.Errorf("first entry = %v", first)
	}
	var ats []string
	for _, e := range entries {
		ats = append(ats, e.(map[string]any)["at"].(string))
	}
	if !slices.IsSorted(ats) {
		t.Error("entries are not in time order")
	}
	up := m["updates"].([]any)[0].(map[string]any)
	for _, k := range []string{"at", "author", "status", "text", "delivery"} {
		if _, ok := up[k]; !ok {
			t.Errorf("update lacks %q: %v", k, up)
		}
	}
	retro := m["retro"].(map[string]any)
	if retro["status"] != "draft" || retro["due"] != "2026-05-04T17:25:00Z" {
		t.Errorf("retro status/due = %v/%v", retro["status"], retro["due"])
	}
	sec := retro["sections"].([]any)[0].(map[string]any)
	why := retro["whys"].([]any)[3].(map[string]any)
	act := retro["actions"].([]any)[2].(map[string]any)
	if sec["title"] != "Introduction" || sec["contributors"] == nil || sec["text"] == "" {
		t.Errorf("section = %v", sec)
	}
	if why["root_cause"] != true || why["why"] == "" || why["because"] == "" {
		t.Errorf("why = %v", why)
	}
	if act["kind"] != "long-term" || act["owner"] != "chen" || act["done"] != false || act["due"] == nil || act["title"] == "" {
		t.Errorf("action = %v", act)
	}
	if m["metrics"].(map[string]any)["time_to_detect"] != float64(13*60) {
		t.Errorf("metrics = %v", m["metrics"])
	}
}

func TestJSONEmptyIncidentHasArraysNotNulls(t *testing.T) {
	inc, _ := incident.NewIncident("x", 3, demoNow, incident.DefaultPolicy())
	inc.ID = 1
	data, err := JSON(inc, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"entries": []`, `"updates": []`, `"tags": []`, `"roles": {}`, `"sections": []`, `"whys": []`, `"factors": []`, `"actions": []`, `"review": []`, `"due": null`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("JSON lacks %s:\n%s", want, data)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	inc := demo()
	inc.Entries[2].EditedAt = demoNow.Add(123456789 * time.Nanosecond)
	inc.Entries[3].Deleted = true
	inc.Updates[1].Delivery = []incident.Delivery{{Target: "https://hooks.example/x", State: incident.DeliveryFailed, Error: "timeout", Attempts: 3, At: demoNow}}
	inc.Retro.Due = demoNow.Add(5 * time.Hour)
	inc.NextUpdateDue = demoNow
	inc.Draft = "draft text"
	for i := range inc.Updates {
		inc.Updates[i].ID, inc.Updates[i].UID = int64(i+1), "u"+string(rune('a'+i))
	}
	inc.Entries[4].UID = "e5"
	inc.Retro.Factors = []incident.Factor{{UID: "f1", Cause: "no load test", Evidence: []string{"e5", "elsewhere"}, Lucky: true, Author: "dana"}}
	inc.Retro.Actions[0].Addresses = "f1"
	inc.Retro.Review = []incident.ReviewComment{{UID: "c1", At: demoNow, Author: "kim", Section: "Timeline", Text: "why so late?"}}
	data, err := JSON(inc, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(NewDoc(inc, incident.DefaultPolicy()), NewDoc(back, incident.DefaultPolicy())) {
		t.Error("the document changed after a round trip")
	}
	again, _ := JSON(back, incident.DefaultPolicy())
	if !bytes.Equal(data, again) {
		t.Error("export → import → export is not byte-identical")
	}
	if !reflect.DeepEqual(back.Retro.Factors, inc.Retro.Factors) || !reflect.DeepEqual(back.Retro.Review, inc.Retro.Review) || back.Retro.Actions[0].Addresses != "f1" {
		t.Errorf("factors, review or addresses lost in a round trip: %+v %+v", back.Retro.Factors, back.Retro.Review)
	}
	if ev := NewDoc(inc, incident.DefaultPolicy()).Retro.Factors[0].Evidence; !reflect.DeepEqual(ev, []DocEvidence{{UID: "e5", ID: 5}, {UID: "elsewhere", Deleted: true}}) {
		t.Errorf("a factor's evidence = %+v; want the entry's number, and an entry not here as deleted", ev)
	}
	if !back.Entries[2].EditedAt.Equal(inc.Entries[2].EditedAt) {
		t.Error("edit time lost its nanoseconds; merges could not tell newer edits")
	}
	// A computed retro due time stays computed.
	inc.Retro.Due = time.Time{}
	data, _ = JSON(inc, incident.DefaultPolicy())
	back, _ = ParseJSON(data)
	if !back.Retro.Due.IsZero() {
		t.Error("a computed retro due time was imported as a fixed one")
	}
}

func TestParseJSONRefusesBadInput(t *testing.T) {
	good, _ := JSON(demo(), incident.DefaultPolicy())
	edit := func(from, to string) []byte { return []byte(strings.Replace(string(good), from, to, 1)) }
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not json", []byte("# INC-7\n"), "not a warroom JSON export"},
		{"other json", []byte(`{"hello": 1}`), "no format_version"},
		{"newer format", edit(`"format_version": 1`, `"format_version": 2`), "upgrade warroom"},
		{"bad severity", edit(`"severity": "SEV2"`, `"severity": "SEV9"`), "severity"},
		{"bad status", edit(`"status": "monitoring"`, `"status": "sleeping"`), "status"},
		{"bad kind", edit(`"kind": "milestone"`, `"kind": "gossip"`), "unknown kind"},
		{"no title", edit(`"title": "Checkout failing for some customers"`, `"title": ""`), "no title"},
		{"bad action kind", edit(`"kind": "immediate"`, `"kind": "someday"`), "immediate or long-term"},
		{"truncated", good[:len(good)/2], "not a"},
	}
	for _, tt := range tests {
		_, err := ParseJSON(tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
}

func TestJSONOfAnUnstoredIncidentReadsBack(t *testing.T) {
	inc := incident.Demo(demoNow) // ID 0: never stored
	data, err := JSON(inc, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseJSON(data)
	if err != nil {
		t.Fatalf("the demo's own export does not read back: %v", err)
	}
	if back.ID != 0 || len(back.Entries) != len(inc.Entries) {
		t.Errorf("read back id %d with %d entries", back.ID, len(back.Entries))
	}
}
