package incident

import (
	"strings"
	"testing"
	"time"
)

// TestHandoverBriefPunctuation: the last update's own full stop does not
// meet the brief's "; next due" (no ".;").
func TestHandoverBriefPunctuation(t *testing.T) {
	p := DefaultPolicy()
	for _, tt := range []struct{ text, want string }{
		{"We expect the issue to be resolved by 10:50.", "resolved by 10:50; next due 12:34"},
		{"Still investigating;", "Still investigating; next due 12:34"},
		{"Fixed...", "Fixed; next due 12:34"},
		{"No cause yet  ", "No cause yet; next due 12:34"},
		{"Are you affected?", "Are you affected? Next due 12:34"},
	} {
		inc := &Incident{Created: draftDeclared, Status: Identified, Cadence: 30 * time.Minute, Updates: []Update{{At: clockAt("12:04"), Text: tt.text}}}
		got := HandoverBrief(inc, RoleLead, "amara", "dmitri", clockAt("12:10"), p)
		if !strings.Contains(got, tt.want) {
			t.Errorf("brief after %q:\n%s\nwant %q in it", tt.text, got, tt.want)
		}
		for _, bad := range []string{".;", ";;", ",;", ":;", "?;"} {
			if strings.Contains(got, bad) {
				t.Errorf("brief after %q has %q:\n%s", tt.text, bad, got)
			}
		}
	}
}
