package incident

import (
	"strings"
	"testing"
	"time"
)

func TestApplyCarriesTheKeyOnItsFirstEntry(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	inc, _ := NewIncident("x", 2, now, DefaultPolicy())
	r, err := Apply(inc, Capture{Command: CmdMilestone, Milestone: MResolved, Key: "job-1"}, now, "ci", DefaultPolicy())
	if err != nil || len(r.Entries) != 2 {
		t.Fatalf("/resolved: %+v %v", r, err)
	}
	if r.Entries[0].Key != "job-1" || r.Entries[1].Key != "" {
		t.Fatalf("keys %q, %q; want the first entry keyed only", r.Entries[0].Key, r.Entries[1].Key)
	}
	for _, key := range []string{" ", strings.Repeat("k", MaxKeyBytes+1)} {
		if _, err := Apply(inc, Capture{Kind: KindNote, Text: "x", Key: key}, now, "ci", DefaultPolicy()); err == nil {
			t.Errorf("key %.10q… was taken", key)
		}
	}
}
