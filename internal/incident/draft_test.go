package incident

import (
	"strings"
	"testing"
	"time"
)

var draftDeclared = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

func clockAt(hhmm string) time.Time {
	t, err := time.Parse("15:04:05", hhmm)
	if err != nil {
		t, err = time.Parse("15:04", hhmm)
	}
	if err != nil {
		panic(err)
	}
	return time.Date(draftDeclared.Year(), draftDeclared.Month(), draftDeclared.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

func draftPublished(times ...string) []Update {
	var us []Update
	for i, s := range times {
		us = append(us, Update{ID: int64(i + 1), At: clockAt(s), Text: "update"})
	}
	return us
}

func TestNextUpdateDue(t *testing.T) {
	tests := []struct {
		name    string
		policy  Policy
		cadence time.Duration
		updates []Update
		snooze  time.Time
		want    string
	}{
		{name: "first update 5 min after declaring", policy: DefaultPolicy(), want: "12:05"},
		{name: "custom first update", policy: Policy{UpdateEvery: 20 * time.Minute, FirstUpdateAfter: 10 * time.Minute}, want: "12:10"},
		{name: "zero policy falls back to 5 min", policy: Policy{}, want: "12:05"},
		{name: "cadence after the last update", policy: DefaultPolicy(), cadence: 30 * time.Minute, updates: draftPublished("12:04"), want: "12:34"},
		{name: "latest of several, any order", policy: DefaultPolicy(), cadence: 30 * time.Minute, updates: draftPublished("12:40", "12:04", "12:20"), want: "13:10"},
		{name: "custom cadence on the incident", policy: DefaultPolicy(), cadence: 20 * time.Minute, updates: draftPublished("12:04"), want: "12:24"},
		{name: "policy cadence when the incident has none", policy: Policy{UpdateEvery: 25 * time.Minute}, updates: draftPublished("12:04"), want: "12:29"},
		{name: "snooze wins", policy: DefaultPolicy(), cadence: 30 * time.Minute, updates: draftPublished("12:04"), snooze: clockAt("12:44"), want: "12:44"},
		{name: "snooze before any update", policy: DefaultPolicy(), snooze: clockAt("12:15"), want: "12:15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := &Incident{Created: draftDeclared, Cadence: tt.cadence, Updates: tt.updates, NextUpdateDue: tt.snooze}
			if got := NextUpdateDue(inc, tt.policy).Format("15:04"); got != tt.want {
				t.Errorf("NextUpdateDue = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestSnoozeThenPublish follows the cadence through Apply: a snooze moves
// the due time once, publishing clears it and restarts the cadence.
func TestSnoozeThenPublish(t *testing.T) {
	p := DefaultPolicy()
	inc, err := NewIncident("Checkout slow", 2, draftDeclared, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(inc, Capture{Command: CmdSnooze, Duration: 10 * time.Minute}, clockAt("12:03"), "amara", p); err != nil {
		t.Fatal(err)
	}
	if got := CountdownAt(inc, p, clockAt("12:03")); got.Due != clockAt("12:15") || !got.Snoozed {
		t.Fatalf("after /snooze 10m: %+v, want due 12:15 snoozed", got)
	}
	inc.Draft = "Investigating slow checkout."
	res, err := Apply(inc, Capture{Command: CmdPublish}, clockAt("12:12"), "amara", p)
	if err != nil {
		t.Fatal(err)
	}
	inc.Updates = append(inc.Updates, *res.Update)
	if got := CountdownAt(inc, p, clockAt("12:12")); got.Due != clockAt("12:42") || got.Snoozed {
		t.Fatalf("after publishing: %+v, want due 12:42, not snoozed", got)
	}
}

func TestCountdownAt(t *testing.T) {
	p := DefaultPolicy()
	base := func() *Incident {
		return &Incident{Created: draftDeclared, Status: Investigating, Cadence: 30 * time.Minute, Updates: draftPublished("12:04")}
	}
	tests := []struct {
		name    string
		inc     func() *Incident
		now     string
		state   CountdownState
		clock   string
		snoozed bool
	}{
		{name: "counting", inc: base, now: "12:10", state: CountdownCounting, clock: "24:00"},
		{name: "counting just before amber", inc: base, now: "12:28:59", state: CountdownCounting, clock: "05:01"},
		{name: "amber at five minutes", inc: base, now: "12:29", state: CountdownSoon, clock: "05:00"},
		{name: "amber last second", inc: base, now: "12:33:59", state: CountdownSoon, clock: "00:01"},
		{name: "due moment", inc: base, now: "12:34", state: CountdownSoon, clock: "00:00"},
		{name: "overdue", inc: base, now: "12:35:05", state: CountdownOverdue, clock: "OVERDUE +01:05"},
		{name: "overdue just under an hour", inc: base, now: "13:33:59", state: CountdownOverdue, clock: "OVERDUE +59:59"},
		{name: "long overdue shows hours", inc: base, now: "14:00", state: CountdownOverdue, clock: "OVERDUE +1:26:00"},
		{name: "first update", inc: func() *Incident { return &Incident{Created: draftDeclared, Status: Investigating} }, now: "12:01", state: CountdownSoon, clock: "04:00"},
		{name: "snoozed", inc: func() *Incident {
			inc := base()
			inc.NextUpdateDue = clockAt("12:44")
			return inc
		}, now: "12:35", state: CountdownCounting, clock: "09:00", snoozed: true},
		{name: "resolved but not yet told", inc: func() *Incident {
			inc := base()
			inc.Status = Resolved
			return inc
		}, now: "12:40", state: CountdownDone, clock: "no further updates due"},
		{name: "resolution published", inc: func() *Incident {
			inc := base()
			inc.Status = Resolved
			inc.Updates = append(inc.Updates, Update{At: clockAt("12:30"), Status: Resolved})
			return inc
		}, now: "13:30", state: CountdownDone, clock: "no further updates due"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CountdownAt(tt.inc(), p, clockAt(tt.now))
			if c.State != tt.state || c.Clock() != tt.clock || c.Snoozed != tt.snoozed {
				t.Errorf("CountdownAt(%s) = %s %q snoozed=%v, want %s %q snoozed=%v", tt.now, c.State, c.Clock(), c.Snoozed, tt.state, tt.clock, tt.snoozed)
			}
			if c.Remaining != c.Due.Sub(clockAt(tt.now)) {
				t.Errorf("Remaining %v is not Due minus now", c.Remaining)
			}
		})
	}
}

func TestDraftFor(t *testing.T) {
	p := DefaultPolicy()
	now := clockAt("12:10")
	tests := []struct {
		name      string
		status    Status
		eta       time.Time
		templates map[string]string
		want      string
	}{
		{name: "investigating", status: Investigating, want: "Investigating an issue affecting some customers; no ETA yet. Next update by 12:40."},
		{name: "identified", status: Identified, want: "Issue identified; team working on resolution. Next update by 12:40."},
		{name: "monitoring", status: Monitoring, want: "A fix is in place; we are watching closely to make sure the issue is fully resolved. Next update by 12:40."},
		{name: "resolved", status: Resolved, want: "The issue is resolved and everything is working normally again. Thank you for your patience."},
		{name: "eta set", status: Identified, eta: clockAt("14:30"), want: "Ongoing resolution efforts; we expect the issue to be resolved by 14:30. Next update by 12:40."},
		{name: "eta passed uses the status", status: Identified, eta: clockAt("12:00"), want: "Issue identified; team working on resolution. Next update by 12:40."},
		{name: "eta tomorrow shows the date", status: Investigating, eta: draftDeclared.Add(25 * time.Hour), want: "Ongoing resolution efforts; we expect the issue to be resolved by Mar 15 13:00. Next update by 12:40."},
		{name: "resolved ignores eta", status: Resolved, eta: clockAt("14:30"), want: "The issue is resolved and everything is working normally again. Thank you for your patience."},
		{name: "config template", status: Investigating, templates: map[string]string{"investigating": "We are looking into it. Next update by {next_update}."}, want: "We are looking into it. Next update by 12:40."},
		{name: "config eta template", status: Identified, eta: clockAt("13:00"), templates: map[string]string{"eta": "Fixed by {eta}; next word at {next_update}."}, want: "Fixed by 13:00; next word at 12:40."},
		// Once a fix is in place the ETA (the time a fix was expected) is
		// no longer news: the phase's template wins over the ETA's.
		{name: "monitoring ignores eta", status: Monitoring, eta: clockAt("13:00"), want: "A fix is in place; we are watching closely to make sure the issue is fully resolved. Next update by 12:40."},
		{name: "monitoring ignores config eta template", status: Monitoring, eta: clockAt("13:00"), templates: map[string]string{"eta": "Fixed by {eta}."}, want: "A fix is in place; we are watching closely to make sure the issue is fully resolved. Next update by 12:40."},
		{name: "monitoring template without an eta", status: Monitoring, eta: clockAt("13:00"), templates: map[string]string{"monitoring": "Fix out; was due {eta}."}, want: "Fix out; was due a time we will share soon."},
		{name: "config eta placeholder without eta", status: Identified, templates: map[string]string{"identified": "Found it; fix by {eta}."}, want: "Found it; fix by a time we will share soon."},
		{name: "blank config template ignored", status: Identified, templates: map[string]string{"identified": "  "}, want: "Issue identified; team working on resolution. Next update by 12:40."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := &Incident{Created: draftDeclared, Status: tt.status, Cadence: 30 * time.Minute, ETA: tt.eta, Updates: draftPublished("12:04")}
			if got := DraftFor(inc, p, tt.templates, now); got != tt.want {
				t.Errorf("DraftFor =\n %q\nwant\n %q", got, tt.want)
			}
		})
	}
}

// TestDraftFollowsThePhase replays the sequence through Apply:
// /eta +2h, then /mitigated (status still identified), then /status
// monitoring, then /resolved. The ETA sentence is there only while the fix
// is pending, and the draft says which template it came from.
func TestDraftFollowsThePhase(t *testing.T) {
	p := DefaultPolicy()
	inc, err := NewIncident("Checkout slow", 2, draftDeclared, p)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		line, at   string
		phase      Status
		template   string
		label      string
		contains   string
		notContain string
	}{
		{"/status identified", "12:05", Identified, "identified", "identified", "Issue identified", "resolved by"},
		{"/eta 14:23", "12:10", Identified, TemplateETA, "ETA", "resolved by 14:23", ""},
		{"/mitigated", "12:20", Monitoring, "monitoring", "monitoring", "A fix is in place", "14:23"},
		{"/status monitoring", "12:25", Monitoring, "monitoring", "monitoring", "A fix is in place", "14:23"},
		{"/resolved", "12:40", Resolved, "resolved", "resolved", "The issue is resolved", "14:23"},
	}
	for _, s := range steps {
		now := clockAt(s.at)
		c, err := ParseCapture(s.line, now)
		if err != nil {
			t.Fatalf("%s: %v", s.line, err)
		}
		if _, err := Apply(inc, c, now, "amara", p); err != nil {
			t.Fatalf("%s: %v", s.line, err)
		}
		if got := DraftPhase(inc); got != s.phase {
			t.Errorf("after %s the phase is %s, want %s", s.line, got, s.phase)
		}
		d := DraftOf(inc, p, nil, now)
		if d.Template != s.template || d.Label() != s.label || d.Custom {
			t.Errorf("after %s the draft came from %q (%q, custom %v), want %q (%q)", s.line, d.Template, d.Label(), d.Custom, s.template, s.label)
		}
		if !strings.Contains(d.Text, s.contains) || (s.notContain != "" && strings.Contains(d.Text, s.notContain)) {
			t.Errorf("after %s the draft is %q: want %q in it and not %q", s.line, d.Text, s.contains, s.notContain)
		}
	}
	custom := DraftOf(inc, p, map[string]string{"resolved": "All good."}, clockAt("12:41"))
	if custom.Text != "All good." || !custom.Custom || custom.Label() != "custom resolved" {
		t.Errorf("a config template: %+v label %q", custom, custom.Label())
	}
}

func TestDraftForUsesIncidentCadence(t *testing.T) {
	inc := &Incident{Created: draftDeclared, Status: Investigating, Cadence: 20 * time.Minute, NextUpdateDue: clockAt("12:30")}
	got := DraftFor(inc, DefaultPolicy(), nil, clockAt("12:03"))
	if !strings.HasSuffix(got, "Next update by 12:23.") {
		t.Errorf("DraftFor = %q, want the next update 20 minutes after now, ignoring the snooze", got)
	}
}

// A long incident is updated no more often than long_update_every, and a
// snooze says why.
func TestLongIncidentSlowsTheCadence(t *testing.T) {
	p := DefaultPolicy()
	inc := &Incident{Created: draftDeclared, Status: Identified, Cadence: 20 * time.Minute}
	early := draftDeclared.Add(30 * time.Minute)
	inc.Updates = []Update{{At: early}}
	if due := NextUpdateDue(inc, p); !due.Equal(early.Add(20 * time.Minute)) {
		t.Errorf("early in the incident the next update is due %v, want the 20m cadence", due)
	}
	late := draftDeclared.Add(3 * time.Hour)
	inc.Updates = append(inc.Updates, Update{At: late})
	if due := NextUpdateDue(inc, p); !due.Equal(late.Add(time.Hour)) {
		t.Errorf("three hours in the next update is due %v, want an hour after the last", due)
	}
	c, err := ParseCapture("/snooze 10m waiting for the vendor's status page", late)
	if err != nil || c.Duration != 10*time.Minute || c.Text != "waiting for the vendor's status page" {
		t.Fatalf("snooze with a reason: %+v %v", c, err)
	}
	res, err := Apply(inc, c, late, "amara", p)
	if err != nil || !strings.Contains(res.Entries[0].Text, ": waiting for the vendor's status page") {
		t.Fatalf("the snooze's reason is not logged: %+v %v", res.Entries, err)
	}
}
