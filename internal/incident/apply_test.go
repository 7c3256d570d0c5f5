package incident

import (
	"strings"
	"testing"
	"time"
)

func newTestIncident(t *testing.T) *Incident {
	t.Helper()
	inc, err := NewIncident("Checkout failing", 2, testNow.Add(-time.Hour), DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

func mustParse(t *testing.T, line string) Capture {
	t.Helper()
	c, err := ParseCapture(line, testNow)
	if err != nil {
		t.Fatalf("ParseCapture(%q): %v", line, err)
	}
	return c
}

func TestApplyChangesAndLogs(t *testing.T) {
	tests := []struct {
		line      string
		check     func(inc *Incident) bool
		entryKind Kind
		entryText string
	}{
		{"/status identified", func(i *Incident) bool { return i.Status == Identified }, KindStatus, "Status investigating → identified"},
		{"/sev 1", func(i *Incident) bool { return i.Severity == 1 }, KindStatus, "Severity SEV2 → SEV1"},
		{"/lead amara", func(i *Incident) bool { return i.Roles[RoleLead] == "amara" }, KindRole, "amara is Resolution lead"},
		{"/comms li", func(i *Incident) bool { return i.Roles[RoleComms] == "li" }, KindRole, "li is Communication lead"},
		{"/eta 15:00", func(i *Incident) bool { return i.ETA.Hour() == 15 }, KindSystem, "ETA set to 15:00"},
		{"/tag payments", func(i *Incident) bool { return i.HasTag("payments") }, KindSystem, "Tagged payments"},
		{"/every 20m", func(i *Incident) bool { return i.Cadence == 20*time.Minute }, KindSystem, "Public updates every 20m"},
		{"/mitigated 14:10", func(i *Incident) bool { return i.Milestones[Mitigated].Minute() == 10 }, KindMilestone, "Mitigated"},
		{"/resolved", func(i *Incident) bool { return i.Status == Resolved && i.Milestones[MResolved].Equal(testNow) }, KindMilestone, "Resolved"},
		{"/status resolved", func(i *Incident) bool { return !i.Milestones[MResolved].IsZero() }, KindStatus, "Status investigating → resolved"},
		{"!restarted", func(i *Incident) bool { return true }, KindAction, "restarted"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			inc := newTestIncident(t)
			res, err := Apply(inc, mustParse(t, tt.line), testNow, "amara", DefaultPolicy())
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(inc) {
				t.Errorf("incident not changed as expected: %+v", inc)
			}
			if len(res.Entries) == 0 || res.Entries[0].Kind != tt.entryKind || res.Entries[0].Text != tt.entryText || res.Entries[0].Author != "amara" {
				t.Errorf("entries = %+v; want first %s %q", res.Entries, tt.entryKind, tt.entryText)
			}
		})
	}
}

func TestApplyRefusesNoOpsAndScreens(t *testing.T) {
	inc := newTestIncident(t)
	for _, line := range []string{"/status investigating", "/sev 2"} {
		if _, err := Apply(inc, mustParse(t, line), testNow, "a", DefaultPolicy()); err == nil || !strings.Contains(err.Error(), "already") {
			t.Errorf("%s: err = %v, want 'already'", line, err)
		}
	}
	if _, err := Apply(inc, mustParse(t, "/retro"), testNow, "a", DefaultPolicy()); err != ErrScreenCommand {
		t.Errorf("/retro: err = %v", err)
	}
	if _, err := Apply(inc, mustParse(t, "/publish"), testNow, "a", DefaultPolicy()); err == nil || !strings.Contains(err.Error(), "draft is empty") {
		t.Errorf("/publish with no draft: err = %v", err)
	}
}

func TestPublishAndCadence(t *testing.T) {
	p := DefaultPolicy()
	inc := newTestIncident(t)
	if got, want := NextUpdateDue(inc, p), inc.Created.Add(5*time.Minute); !got.Equal(want) {
		t.Fatalf("first update due %v, want %v", got, want)
	}
	if _, err := Apply(inc, mustParse(t, "/draft Issue identified; team working on resolution."), testNow, "li", p); err != nil {
		t.Fatal(err)
	}
	res, err := Apply(inc, mustParse(t, "/publish"), testNow, "li", p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Update == nil || res.Update.Text != "Issue identified; team working on resolution." || inc.Draft != "" {
		t.Fatalf("publish result %+v, draft %q", res.Update, inc.Draft)
	}
	if len(res.Entries) != 1 || res.Entries[0].Kind != KindPublic {
		t.Fatalf("publish entries %+v", res.Entries)
	}
	inc.Updates = append(inc.Updates, *res.Update)
	if got, want := NextUpdateDue(inc, p), testNow.Add(30*time.Minute); !got.Equal(want) {
		t.Fatalf("next due %v, want %v", got, want)
	}
	if _, err := Apply(inc, mustParse(t, "/snooze 10m"), testNow, "li", p); err != nil {
		t.Fatal(err)
	}
	if got, want := NextUpdateDue(inc, p), testNow.Add(40*time.Minute); !got.Equal(want) {
		t.Fatalf("snoozed due %v, want %v", got, want)
	}
}

func TestMetrics(t *testing.T) {
	base := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	ms := map[Milestone]time.Time{
		Started:      base,
		Detected:     base.Add(10 * time.Minute),
		Acknowledged: base.Add(15 * time.Minute),
		Mitigated:    base.Add(70 * time.Minute),
		MResolved:    base.Add(140 * time.Minute),
	}
	want := map[string]time.Duration{
		"time to detect": 10 * time.Minute, "time to acknowledge": 5 * time.Minute,
		"time to mitigate": 70 * time.Minute, "time to resolve": 140 * time.Minute,
	}
	for _, m := range Metrics(ms) {
		if !m.Known || m.Value != want[m.Name] {
			t.Errorf("%s = %v (known %v), want %v", m.Name, m.Value, m.Known, want[m.Name])
		}
	}
	delete(ms, Started)
	if d, ok := TimeToResolve(ms); !ok || d != 130*time.Minute {
		t.Errorf("without started, time to resolve = %v %v, want 2h10m from detection", d, ok)
	}
	for _, m := range Metrics(ms) {
		if m.Name == "time to detect" && m.Known {
			t.Error("time to detect should be unknown without a start")
		}
	}
	ms[Acknowledged] = base
	if got := MilestonesOutOfOrder(ms); len(got) != 1 || got[0] != "acknowledged before detected" {
		t.Errorf("out of order = %v", got)
	}
	if got := MilestonesOutOfOrder(map[Milestone]time.Time{}); len(got) != 0 {
		t.Errorf("empty milestones out of order = %v", got)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		4 * time.Minute: "4m", 65 * time.Minute: "1h05m", 51 * time.Hour: "2d 3h00m", 24*time.Hour + 11*time.Minute: "1d 0h11m", -3 * time.Minute: "-3m", 0: "0m",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\tand\nnewline", "tab\tand\nnewline"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"\x1b]0;title\x07after", "after"},
		{"\x1b]52;c;aGk=\x1b\\x", "x"},
		{"\x1bPq#0;2;0;0;0\x1b\\dcs", "dcs"},
		{"over\rwrite", "overwrite"},
		{"back\bspace", "backspace"},
		{"bell\a", "bell"},
		{"c1 \u009b31m csi", "c1 31m csi"},
		{"nel\u0085", "nel"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"del\x7f", "del"},
		{"émoji 🚒 ok", "émoji 🚒 ok"},
	}
	for _, tt := range tests {
		got := CleanText(tt.in)
		if got != tt.want {
			t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		for _, r := range got {
			if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
				t.Errorf("CleanText(%q) left control %U", tt.in, r)
			}
		}
	}
	if got := CleanLine("a\nb\tc"); got != "a b c" {
		t.Errorf("CleanLine = %q", got)
	}
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"\x1b[31m", "\u009b", "\r\b\a", "\xff", "ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range CleanText(s) {
			if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
				t.Fatalf("CleanText(%q) left control %U", s, r)
			}
		}
	})
}
