package incident

import (
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 23, 14, 30, 0, 0, time.UTC)

func TestParseCaptureEntries(t *testing.T) {
	tests := []struct {
		line    string
		kind    Kind
		starred bool
		at      time.Time
		text    string
	}{
		{"restarted the workers", KindNote, false, time.Time{}, "restarted the workers"},
		{"!rolled back deploy 4711", KindAction, false, time.Time{}, "rolled back deploy 4711"},
		{"! rolled back", KindAction, false, time.Time{}, "rolled back"},
		{">we fail over to eu-west", KindDecision, false, time.Time{}, "we fail over to eu-west"},
		{"?is the cache warm", KindQuestion, false, time.Time{}, "is the cache warm"},
		{"*first customer report", KindNote, true, time.Time{}, "first customer report"},
		{"*!killed the job", KindAction, true, time.Time{}, "killed the job"},
		{"!*killed the job", KindAction, true, time.Time{}, "killed the job"},
		{"@12:31 alert fired", KindNote, false, time.Date(2026, 11, 23, 12, 31, 0, 0, time.UTC), "alert fired"},
		{"@-10m *!paged db team", KindAction, true, testNow.Add(-10 * time.Minute), "paged db team"},
		{"@23:10 late alert", KindNote, false, time.Date(2026, 11, 22, 23, 10, 0, 0, time.UTC), "late alert"},
		{"//var/log is full", KindNote, false, time.Time{}, "/var/log is full"},
		{"  padded text  ", KindNote, false, time.Time{}, "padded text"},
		{"why? because", KindNote, false, time.Time{}, "why? because"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			c, err := ParseCapture(tt.line, testNow)
			if err != nil {
				t.Fatalf("ParseCapture(%q): %v", tt.line, err)
			}
			if !c.IsEntry() || c.Kind != tt.kind || c.Starred != tt.starred || !c.At.Equal(tt.at) || c.Text != tt.text {
				t.Errorf("ParseCapture(%q) = %+v; want kind %s starred %v at %v text %q", tt.line, c, tt.kind, tt.starred, tt.at, tt.text)
			}
		})
	}
}

func TestParseCaptureCommands(t *testing.T) {
	tests := []struct {
		line  string
		check func(c Capture) bool
	}{
		{"/sev 1", func(c Capture) bool { return c.Command == CmdSev && c.Severity == 1 }},
		{"/sev SEV2", func(c Capture) bool { return c.Command == CmdSev && c.Severity == 2 }},
		{"/status identified", func(c Capture) bool { return c.Command == CmdStatus && c.Status == Identified }},
		{"/status mon", func(c Capture) bool { return c.Command == CmdStatus && c.Status == Monitoring }},
		{"/lead amara", func(c Capture) bool { return c.Command == CmdLead && c.Role == RoleLead && c.Person == "amara" }},
		{"/comms Li Wei", func(c Capture) bool { return c.Command == CmdComms && c.Role == RoleComms && c.Person == "Li Wei" }},
		{"/role scribe sam", func(c Capture) bool { return c.Command == CmdRole && c.Role == "scribe" && c.Person == "sam" }},
		{"/eta 15:00", func(c Capture) bool {
			return c.Command == CmdETA && c.Time.Equal(time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC))
		}},
		{"/eta 09:00", func(c Capture) bool {
			return c.Command == CmdETA && c.Time.Equal(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
		}},
		{"/eta +45m", func(c Capture) bool { return c.Command == CmdETA && c.Time.Equal(testNow.Add(45*time.Minute)) }},
		{"/tag #Database", func(c Capture) bool { return c.Command == CmdTag && c.Tag == "database" }},
		{"/detected", func(c Capture) bool { return c.Command == CmdMilestone && c.Milestone == Detected && c.Time.IsZero() }},
		{"/started 12:05", func(c Capture) bool {
			return c.Command == CmdMilestone && c.Milestone == Started && c.Time.Equal(time.Date(2026, 11, 23, 12, 5, 0, 0, time.UTC))
		}},
		{"/resolved -5m", func(c Capture) bool { return c.Milestone == MResolved && c.Time.Equal(testNow.Add(-5*time.Minute)) }},
		{"/every 20m", func(c Capture) bool { return c.Command == CmdEvery && c.Duration == 20*time.Minute }},
		{"/every 20", func(c Capture) bool { return c.Command == CmdEvery && c.Duration == 20*time.Minute }},
		{"/snooze 10m", func(c Capture) bool { return c.Command == CmdSnooze && c.Duration == 10*time.Minute }},
		{"/draft We are investigating.", func(c Capture) bool { return c.Command == CmdDraft && c.Text == "We are investigating." }},
		{"/publish", func(c Capture) bool { return c.Command == CmdPublish }},
		{"/retro", func(c Capture) bool { return c.Command == CmdRetro }},
		{"/list", func(c Capture) bool { return c.Command == CmdList }},
		{"/preview", func(c Capture) bool { return c.Command == CmdPreview }},
		{"/help", func(c Capture) bool { return c.Command == CmdHelp }},
		{"/STATUS Resolved", func(c Capture) bool { return c.Command == CmdStatus && c.Status == Resolved }},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			c, err := ParseCapture(tt.line, testNow)
			if err != nil {
				t.Fatalf("ParseCapture(%q): %v", tt.line, err)
			}
			if c.IsEntry() || !tt.check(c) {
				t.Errorf("ParseCapture(%q) = %+v", tt.line, c)
			}
		})
	}
}

func TestParseCaptureErrors(t *testing.T) {
	tests := []struct{ line, want string }{
		{"", "nothing to log"},
		{"   ", "nothing to log"},
		{"!", "nothing to log"},
		{"*!  ", "nothing to log"},
		{"/sev 5", "1 (worst) to 4"},
		{"/sev", "needs a severity"},
		{"/status fixed", "not known"},
		{"/status", "needs a status"},
		{"/lead", "needs a name"},
		{"/role scribe", "needs a role and a name"},
		{"/eta soon", "not valid"},
		{"/tag two words", "one word"},
		{"/every -5m", "not valid"},
		{"/every 0", "not valid"},
		{"/retro now", "takes no arguments"},
		{"/frobnicate", "not a command"},
		{"@25:00 x", "not valid"},
		{"@2099-01-01T00:00:00Z x", "in the future"},
		{"/detected 2099-01-01T00:00:00Z", "in the future"},
		{strings.Repeat("x", MaxTextBytes+1), "limit"},
	}
	for _, tt := range tests {
		name := tt.line
		if len(name) > 30 {
			name = name[:30]
		}
		t.Run(name, func(t *testing.T) {
			_, err := ParseCapture(tt.line, testNow)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseCapture(%q) error = %v; want it to mention %q", name, err, tt.want)
			}
		})
	}
}

func TestParsePast(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	now := time.Date(2026, 11, 23, 0, 20, 0, 0, loc)
	tests := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"00:10", time.Date(2026, 11, 23, 0, 10, 0, 0, loc), false},
		{"23:50", time.Date(2026, 11, 22, 23, 50, 0, 0, loc), false},
		{"0:05", time.Date(2026, 11, 23, 0, 5, 0, 0, loc), false},
		{"-10m", now.Add(-10 * time.Minute), false},
		{"-1h30m", now.Add(-90 * time.Minute), false},
		{"2026-11-22T10:00:00Z", time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), false},
		{"2026-11-24T10:00:00Z", time.Time{}, true},
		{"-", time.Time{}, true},
		{"--5m", time.Time{}, true},
		{"24:00", time.Time{}, true},
		{"12:60", time.Time{}, true},
		{"12:5", time.Time{}, true},
		{"noon", time.Time{}, true},
		{"", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := ParsePast(tt.in, now)
		if (err != nil) != tt.err {
			t.Errorf("ParsePast(%q) error = %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if !tt.err && !got.Equal(tt.want) {
			t.Errorf("ParsePast(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseIDAndSeverity(t *testing.T) {
	for _, in := range []string{"INC-7", "inc-7", "7", " 7 "} {
		if id, err := ParseID(in); err != nil || id != 7 {
			t.Errorf("ParseID(%q) = %d, %v", in, id, err)
		}
	}
	for _, in := range []string{"", "INC-", "INC-x", "-3", "0", "INC-0", "seven"} {
		if _, err := ParseID(in); err == nil {
			t.Errorf("ParseID(%q) accepted", in)
		}
	}
	for in, want := range map[string]Severity{"1": 1, "4": 4, "sev3": 3, "SEV2": 2} {
		if s, err := ParseSeverity(in); err != nil || s != want {
			t.Errorf("ParseSeverity(%q) = %v, %v", in, s, err)
		}
	}
	for _, in := range []string{"0", "5", "-1", "high", ""} {
		if _, err := ParseSeverity(in); err == nil {
			t.Errorf("ParseSeverity(%q) accepted", in)
		}
	}
}

func TestCompleteCommand(t *testing.T) {
	got := CompleteCommand("/st")
	if len(got) != 2 || got[0].Name != "status" || got[1].Name != "started" {
		t.Fatalf("CompleteCommand(/st) = %+v", got)
	}
	if len(CompleteCommand("/zz")) != 0 {
		t.Fatal("CompleteCommand(/zz) found something")
	}
	if len(CompleteCommand("/")) != len(CommandSpecs) {
		t.Fatal("CompleteCommand(/) should list every command")
	}
}

func FuzzParseCapture(f *testing.F) {
	for _, s := range []string{"hello", "!a", ">b", "?c", "*d", "@12:00 e", "@-5m *!f", "/sev 2", "/status identified", "/eta 14:20", "/draft x", "/detected 12:01", "//x", "/", "@", "@-", "\x1b[31mred", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, err := ParseCapture(line, testNow)
		if err != nil {
			return
		}
		if c.IsEntry() {
			if strings.TrimSpace(c.Text) == "" {
				t.Fatalf("entry with empty text from %q", line)
			}
			if c.At.After(testNow.Add(time.Minute)) {
				t.Fatalf("entry in the future from %q", line)
			}
		}
	})
}

func FuzzParsePast(f *testing.F) {
	for _, s := range []string{"12:00", "-10m", "2026-01-01T00:00:00Z", "99:99", "-1h", "+5m", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParsePast(s, testNow)
		if err == nil && got.After(testNow.Add(time.Minute)) {
			t.Fatalf("ParsePast(%q) = %v is in the future", s, got)
		}
	})
}
