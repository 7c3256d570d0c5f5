package cockpit

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

func TestGapAndDateLines(t *testing.T) {
	day2 := time.Date(2026, 3, 12, 13, 45, 0, 0, time.UTC)
	day1 := day2.Add(-26 * 60 * 60 * 1e9)
	inc := &incident.Incident{Entries: []incident.Entry{
		{ID: 1, At: day1, Kind: incident.KindNote, Text: "a"},
		{ID: 2, At: day1.Add(5 * 60 * 1e9), Kind: incident.KindNote, Text: "b"},
		{ID: 3, At: day1.Add(25 * 60 * 1e9), Kind: incident.KindNote, Text: "c"},
		{ID: 4, At: day2, Kind: incident.KindNote, Text: "d"},
		{ID: 5, At: day2, Kind: incident.KindNote, Text: "gone", Deleted: true},
	}}
	td := BuildTimeline(inc, 15*60*1e9)
	var kinds []string
	for r := range td.rows.All() {
		switch r.Kind {
		case RowEntry:
			kinds = append(kinds, r.E.Text)
		case RowGap:
			kinds = append(kinds, "gap "+r.Text)
		case RowDate:
			kinds = append(kinds, "date "+r.Text)
		}
	}
	want := "date Wed 11 Mar 2026|a|b|gap 20m without an entry|c|date Thu 12 Mar 2026|d"
	if got := strings.Join(kinds, "|"); got != want {
		t.Fatalf("rows:\n got %s\nwant %s", got, want)
	}
}
