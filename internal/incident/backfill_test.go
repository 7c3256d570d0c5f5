package incident

import (
	"strings"
	"testing"
	"time"
)

func TestParseBackfill(t *testing.T) {
	now := time.Date(2026, 3, 13, 9, 0, 0, 0, time.UTC)
	in := `# the chat log of the night
23:10 Alert: checkout errors at 4%
23:13:30 /status identified

23:59 !rolled back
00:05 /mitigated
2026-03-13 00:30 /resolved
2026-03-13T01:00:00+01:00 note in another zone
01:10 a clock time after a full date`
	got, err := ParseBackfill(strings.NewReader(in), now)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		n    int
		at   string
		text string
	}{
		{2, "2026-03-12T23:10:00Z", "Alert: checkout errors at 4%"},
		{3, "2026-03-12T23:13:30Z", "/status identified"},
		{5, "2026-03-12T23:59:00Z", "!rolled back"},
		{6, "2026-03-13T00:05:00Z", "/mitigated"}, // rolled over midnight
		{7, "2026-03-13T00:30:00Z", "/resolved"},
		{8, "2026-03-13T00:00:00Z", "note in another zone"},
		{9, "2026-03-13T01:10:00Z", "a clock time after a full date"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].N != w.n || got[i].At.UTC().Format(time.RFC3339) != w.at || got[i].Text != w.text {
			t.Errorf("line %d = %d %s %q; want %d %s %q", i, got[i].N, got[i].At.UTC().Format(time.RFC3339), got[i].Text, w.n, w.at, w.text)
		}
	}
}

func TestParseBackfillErrors(t *testing.T) {
	now := time.Date(2026, 3, 13, 9, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{
		"10:00 ok\nno time here":             "line 2:",
		"10:00 ok\n25:00 bad":                "line 2:",
		"2026-03-14 10:00 tomorrow":          "line 1: 2026-03-14 10:00 is in the future",
		"10:00":                              "line 1: there is a time but no text",
		"# only comments\n\n":                "no timed lines",
		"2026-02-30 10:00 no such day":       "line 1:",
		"10:00 ok\n10:00:75 bad seconds too": "line 2:",
	} {
		_, err := ParseBackfill(strings.NewReader(in), now)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseBackfill(%q) error = %v; want it to say %q", in, err, want)
		}
	}
}

func FuzzParseBackfill(f *testing.F) {
	f.Add("23:10 note\n00:05 /mitigated\n")
	f.Add("2026-03-13 00:30 /resolved")
	f.Add("# c\n\n2026-03-13T01:00:00+01:00 x")
	now := time.Date(2026, 3, 13, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		lines, err := ParseBackfill(strings.NewReader(in), now)
		if err != nil {
			return
		}
		for i, l := range lines {
			if l.At.After(now.Add(time.Minute)) || strings.TrimSpace(l.Text) == "" {
				t.Fatalf("line %d accepted: %+v", i, l)
			}
			if i > 0 && l.N <= lines[i-1].N {
				t.Fatalf("line numbers out of order: %+v", lines)
			}
		}
	})
}
