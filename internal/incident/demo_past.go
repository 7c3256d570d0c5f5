package incident

import (
	"fmt"
	"time"
)

// DemoPast is a past incident for the demo, recorded the way a scribe
// records one after the fact: declared at its time, then its chat log
// backfilled (see ParseBackfill), so the incident list shows a resolved
// incident whose statuses, milestones and public updates all sit at their
// own times, across midnight. It returns the incident as declared and the
// log to backfill. The night is the one before yesterday, so nothing lies in
// the future whatever the time now.
func DemoPast(now time.Time) (*Incident, string) {
	night := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location()).AddDate(0, 0, -2)
	declared := night.Add(23*time.Hour + 5*time.Minute)
	inc := &Incident{
		Title: "Search returning empty results overnight", Severity: 2, Status: Investigating,
		Roles:   map[string]string{RoleLead: "dana", RoleComms: "elif"},
		WarRoom: "#inc-search", PublicChannel: "#status", Cadence: 30 * time.Minute,
		Created: declared, Updated: declared,
		Milestones: map[Milestone]time.Time{Detected: declared},
		Retro:      Retro{Status: RetroDraft},
	}
	day := night.Format("2006-01-02")
	log := fmt.Sprintf(`# Backfilled from the #inc-search channel the morning after
%s 23:02 Alert: search result count dropped to zero for 30%% of queries
23:04 /started 22:50
23:08 ?did the index rebuild finish?
23:12 /acknowledged
23:15 /publish Some searches are returning no results; we are investigating.
23:21 The 22:45 index rebuild wrote an empty shard for three regions
23:24 /status identified
23:30 >Serve the previous index snapshot while the rebuild is redone
23:45 /publish Issue identified; results are coming back as we restore the previous index.
23:58 !Switched the three regions to the previous snapshot
00:06 /mitigated
00:10 Result counts back to normal in every region
00:15 /publish Search is working normally again; we are watching closely.
00:40 /resolved
00:41 /publish The issue is resolved. Thank you for your patience.
`, day)
	return inc, log
}
