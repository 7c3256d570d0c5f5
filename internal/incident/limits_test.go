package incident

import (
	"strings"
	"testing"
	"time"
)

func TestTypedFieldLimits(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	// Runes, not bytes: é is two bytes.
	if _, err := NewIncident(strings.Repeat("é", MaxTitleRunes), 2, now, DefaultPolicy()); err != nil {
		t.Fatalf("a title of %d characters: %v", MaxTitleRunes, err)
	}
	_, err := NewIncident(strings.Repeat("é", MaxTitleRunes+1), 2, now, DefaultPolicy())
	if err == nil || !strings.Contains(err.Error(), "the title is 201 characters long, over the limit of 200") {
		t.Fatalf("a title of %d characters: %v", MaxTitleRunes+1, err)
	}
	long := func(n int) string { return strings.Repeat("ñ", n) }
	for _, tt := range []struct {
		line, want string // want "" means it parses
	}{
		{"/lead " + long(MaxNameRunes), ""},
		{"/lead " + long(MaxNameRunes+1), "the name of the resolution lead is 81 characters long, over the limit of 80"},
		{"/comms " + long(MaxNameRunes+1), "the name of the communication lead is 81 characters long"},
		{"/role scribe " + long(MaxNameRunes), ""},
		{"/role scribe " + long(MaxNameRunes+1), "the name of the scribe is 81 characters long"},
		{"/role " + long(MaxNameRunes+1) + " amara", "the role's name is 81 characters long"},
		{"/tag " + long(MaxTagRunes), ""},
		{"/tag " + long(MaxTagRunes+1), "the tag is 41 characters long, over the limit of 40"},
	} {
		_, err := ParseCapture(tt.line, now)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("ParseCapture(%.30q…): %v", tt.line, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("ParseCapture(%.30q…) = %v, want %q", tt.line, err, tt.want)
		case err != nil && strings.Count(err.Error(), ". ") > 0:
			t.Errorf("ParseCapture(%.30q…): more than one sentence: %v", tt.line, err)
		}
	}
	// Captures built in code (the cockpit's forms) meet the same limits.
	inc, _ := NewIncident("x", 2, now, DefaultPolicy())
	for _, c := range []Capture{
		{Command: CmdTag, Tag: long(MaxTagRunes + 1)},
		{Command: CmdLead, Role: RoleLead, Person: long(MaxNameRunes + 1)},
		{Command: CmdRole, Role: long(MaxNameRunes + 1), Person: "amara"},
		{Command: CmdNone, Kind: KindNote, Text: strings.Repeat("x", MaxTextBytes+1)},
		{Command: CmdDraft, Text: strings.Repeat("x", MaxTextBytes+1)},
		{Command: CmdPublish, Text: strings.Repeat("x", MaxTextBytes+1)},
	} {
		if _, err := Apply(inc, c, now, "amara", DefaultPolicy()); err == nil {
			t.Errorf("Apply(%s) took a value over its limit", c.Command)
		}
	}
}

func TestCheckRecord(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	if err := CheckRecord(Demo(now)); err != nil {
		t.Fatalf("the demo: %v", err)
	}
	name := strings.Repeat("n", MaxNameRunes+1)
	for _, tt := range []struct {
		name, want string
		spoil      func(inc *Incident)
	}{
		{"title", "the title is", func(inc *Incident) { inc.Title = strings.Repeat("t", MaxTitleRunes+1) }},
		{"role holder", "the name of the resolution lead", func(inc *Incident) { inc.Roles[RoleLead] = name }},
		{"tag", "the tag is", func(inc *Incident) { inc.Tags = append(inc.Tags, strings.Repeat("t", MaxTagRunes+1)) }},
		{"entry author", "the author of timeline entry 3", func(inc *Incident) { inc.Entries[2].Author = name }},
		{"entry text", "the text of timeline entry 2 is 65 KB, over the 64 KB limit", func(inc *Incident) {
			inc.Entries[1].Kind, inc.Entries[1].Text = KindNote, strings.Repeat("x", MaxTextBytes+1)
		}},
		{"declared title", "timeline entry 1 declares the incident, but the title is", func(inc *Incident) {
			inc.Entries[0].Set = Setting{Field: FieldDeclared, Declared: &Declaration{Title: strings.Repeat("t", MaxTitleRunes+1)}}
		}},
		{"role setting", "the person timeline entry 2 names", func(inc *Incident) {
			inc.Entries[1].Set = Setting{Field: FieldRole, Key: RoleLead, Value: name}
		}},
		{"tag setting", "timeline entry 2 tags the incident, but the tag is", func(inc *Incident) {
			inc.Entries[1].Set = Setting{Field: FieldTag, Value: strings.Repeat("t", MaxTagRunes+1)}
		}},
		{"draft", "the public draft is", func(inc *Incident) { inc.Draft = strings.Repeat("d", MaxTextBytes+1) }},
		{"update author", "the author of public update 1", func(inc *Incident) { inc.Updates[0].Author = name }},
		{"update text", "the text of public update 2", func(inc *Incident) { inc.Updates[1].Text = strings.Repeat("u", MaxTextBytes+1) }},
		{"update status", `public update 1 has the status "exploded"`, func(inc *Incident) { inc.Updates[0].Status = "exploded" }},
		{"delivery state", `delivery 1 of public update 1 has the state "teleported"`, func(inc *Incident) {
			inc.Updates[0].Delivery = []Delivery{{Target: "clipboard", State: "teleported"}}
		}},
		{"delivery target", "delivery 1 of public update 1 names no target", func(inc *Incident) {
			inc.Updates[0].Delivery = []Delivery{{State: DeliverySent}}
		}},
		{"delivery attempts", "claims -1 attempts", func(inc *Incident) {
			inc.Updates[0].Delivery = []Delivery{{Target: "clipboard", State: DeliveryFailed, Attempts: -1}}
		}},
		{"delivery error", "has an error of", func(inc *Incident) {
			inc.Updates[0].Delivery = []Delivery{{Target: "https://hooks.example/x", State: DeliveryFailed, Error: strings.Repeat("e", 5000)}}
		}},
		{"action owner", "the owner of action 1", func(inc *Incident) { inc.Retro.Actions[0].Owner = name }},
	} {
		inc := Demo(now)
		tt.spoil(inc)
		err := CheckRecord(inc)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	// warroom's own records quote typed text with words around it.
	inc := Demo(now)
	inc.Entries[1].Kind, inc.Entries[1].Text = KindSystem, "Deleted entry #3 from 12:00: "+strings.Repeat("x", MaxTextBytes)
	if err := CheckRecord(inc); err != nil {
		t.Errorf("a deletion record of a 64 KB entry: %v", err)
	}
	inc.Updates[0].Status = ""
	if err := CheckRecord(inc); err != nil {
		t.Errorf("an update without a status: %v", err)
	}
}
