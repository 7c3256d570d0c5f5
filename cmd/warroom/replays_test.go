package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// Three public incidents replayed as a scribe would record them after the
// fact (declared at their time, the chat log backfilled with log --file),
// with the retro written through the store, as the retro screen writes it.
// The times and words follow the published postmortems; the people are
// stand-ins.

// replay is one incident to record.
type replay struct {
	title, sev, at string
	log            string
	retro          func(r *incident.Retro)
}

var replays = map[string]replay{
	// GitHub, 21–22 October 2018: a 43-second network partition left the
	// MySQL topology split across coasts; 24 hours of degraded service.
	"github-2018": {
		title: "Degraded service: network partition split the MySQL clusters",
		sev:   "1",
		at:    "2018-10-21T23:09:00Z",
		log: `# #incident-response, all times UTC
2018-10-21 22:52 /started 22:52
22:54 Monitoring alerts: many MySQL clusters report faults
22:54 /detected 22:54
23:07 /lead sam
23:07 /acknowledged 23:07
23:07 Deployment tooling locked to stop changes during the failover
23:09 /publish We are investigating reports of elevated error rates.
23:11 /comms jess
23:13 /status identified
23:13 Multiple clusters affected; database engineers paged
23:19 ! Paused webhook delivery and GitHub Pages builds to protect data
2018-10-22 00:05 > Restore from backups, then resynchronise from the West Coast
00:41 Backup restore started for the affected clusters
06:51 Several East Coast clusters restored; replication catching up
07:27 /publish We are restoring data; webhooks and Pages builds stay paused.
07:46 Blog post published explaining the incident
08:10 /lead priya
11:12 All primaries back in the US East data centre
13:15 Peak traffic; replication lag grows again
16:24 Replicas in sync; failover to the original topology
16:24 /mitigated 16:24
16:45 Processing the backlog of webhooks (about 5 million events)
17:00 /publish Service restored; we are processing queued webhooks and Pages builds.
23:03 All pending webhooks and Pages builds processed
23:03 /resolved 23:03
23:04 /publish All systems operational. Thank you for your patience.
`,
		retro: func(r *incident.Retro) {
			setSection(r, "Introduction", "## What happened\n\nA 43-second loss of connectivity between the US East Coast hub and the primary data centre led the orchestrator to promote West Coast primaries.\n\n### Root cause\n\nWrites landed in both data centres; neither could be failed back without losing data.\n\n- 24h11m of degraded service\n- no user data lost\n\nSee [the postmortem](https://github.blog/2018-10-30-oct21-post-incident-analysis/).")
			setSection(r, "Timeline", "Most of the time went to restoring from backups and replicating.")
			r.Whys = []incident.Why{
				{Why: "Why were writes split across coasts?", Because: "The orchestrator promoted West Coast primaries during the partition."},
				{Why: "Why did it promote across the country?", Because: "Its topology allowed cross-region promotion.", RootCause: true},
			}
			r.Actions = []incident.Action{
				{Title: "Keep primaries from being promoted across regions", Kind: incident.Immediate, Owner: "sam", Due: time.Date(2018, 11, 5, 0, 0, 0, 0, time.UTC)},
				{Title: "Run active/active/active across data centres", Kind: incident.LongTerm, Link: "https://github.blog/"},
			}
		},
	},
	// GitLab, 31 January 2017: an engineer removed the primary database's
	// data directory; six hours of data were lost.
	"gitlab-2017": {
		title: "GitLab.com database: data directory removed on the primary",
		sev:   "1",
		at:    "2017-01-31T23:30:00Z",
		log: `2017-01-31 21:00 Spam load on the database; replication to db2 lags behind
21:00 /started 21:00
22:00 /lead yp
23:00 pg_basebackup on db2 keeps failing; the data directory will be wiped for a new copy
23:27 rm -rf on the data directory, run on db1 (the primary) instead of db2
23:27 /detected 23:27
23:30 Stopped after ~300 GB removed; only about 4.5 GB left
23:45 /acknowledged 23:45
23:47 /publish We are performing emergency database maintenance; GitLab.com will be taken offline.
2017-02-01 00:36 > Restore from the LVM snapshot taken six hours earlier on staging
00:40 /status identified
00:40 /comms jv
01:00 ? Are the regular pg_dump backups usable?
01:10 pg_dump backups were never written: the wrong PostgreSQL version was used
07:46 /publish We are restoring from a six-hour-old snapshot; issues, merge requests and comments since then are lost.
16:00 Snapshot copy finished; rebuilding the database
17:00 /mitigated 17:00
18:14 GitLab.com back online
18:14 /resolved 18:14
18:20 /publish GitLab.com is back online.
`,
		retro: func(r *incident.Retro) {
			setSection(r, "Introduction", "# Summary\n\nWhile fixing replication, an engineer ran `rm -rf` on the primary's data directory; ~300 GB were removed before it was stopped.\n\n#### How it was resolved\n\n1. Copied the staging snapshot.\n2. Rebuilt the database.")
			r.Whys = []incident.Why{
				{Why: "Why was the data removed?", Because: "The command ran on db1, not db2."},
				{Why: "Why were backups missing?", Because: "pg_dump used the wrong version and failed silently.", RootCause: true},
			}
			r.Actions = []incident.Action{
				{Title: "Alert when a backup is missing or empty", Kind: incident.Immediate, Owner: "jv"},
				{Title: "Test restores every week", Kind: incident.LongTerm, Owner: "yp", Due: time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC), Done: true},
			}
		},
	},
	// Fastly, 8 June 2021: a customer's valid configuration change
	// triggered a latent bug; 85% of the network returned errors.
	"fastly-2021": {
		title: "Global CDN outage: a customer configuration triggered a latent bug",
		sev:   "1",
		at:    "2021-06-08T09:48:00Z",
		log: `2021-06-08 09:47 /started 09:47
09:48 /detected 09:48
09:48 Global monitoring: 85% of the network returns errors
09:49 /lead kim
09:50 /acknowledged 09:50
09:58 /publish We are investigating potential impact to performance with our CDN services.
10:27 /status identified
10:27 Engineers identified the customer configuration that triggers the bug
10:36 Configuration disabled; services recovering
10:36 /mitigated 10:36
10:44 /publish The issue has been identified and a fix has been applied. Customers may experience increased origin load as global services return.
10:44 /comms lou
12:35 /publish We are monitoring the fix; performance is back to normal.
12:35 /status monitoring
12:41 /resolved 12:41
12:41 /publish This incident has been resolved.
`,
		retro: func(r *incident.Retro) {
			setSection(r, "Introduction", "On 12 May a software deployment introduced a bug that a specific customer configuration could trigger.\n\n### Impact\n\n49 minutes of errors for 95% of the network.\n\n### Timeline\nDetected within a minute.")
			r.Whys = []incident.Why{{Why: "Why did one configuration break the network?", Because: "A latent bug shipped on 12 May.", RootCause: true}}
			r.Actions = []incident.Action{{Title: "Deploy the bug fix", Kind: incident.Immediate, Owner: "kim", Done: true}}
		},
	},
}

// setSection writes the text of the retro section title, adding it when
// the template lacks it.
func setSection(r *incident.Retro, title, text string) {
	for i := range r.Sections {
		if r.Sections[i].Title == title {
			r.Sections[i].Text = text
			return
		}
	}
	r.Sections = append(r.Sections, incident.Section{Title: title, Text: text})
}

// replay records rp into e's database and returns the incident's id.
func (e *env) replay(rp replay) string {
	e.t.Helper()
	id := e.newIncident(rp.title, "--sev", rp.sev, "--at", rp.at)
	path := filepath.Join(e.dir, "replay.log")
	if err := os.WriteFile(path, []byte(rp.log), 0o600); err != nil {
		e.t.Fatal(err)
	}
	e.ok("log", "-i", id, "--file", path)
	if rp.retro != nil {
		e.editRetro(id, rp.retro)
	}
	return id
}

// editRetro changes the retro of incident id through the store.
func (e *env) editRetro(id string, fn func(r *incident.Retro)) {
	e.t.Helper()
	st, err := store.Open(e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	defer st.Close()
	n, err := st.ResolveID(id)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := st.UpdateRetro(n, "scribe", time.Now(), func(r *incident.Retro) error { fn(r); return nil }); err != nil {
		e.t.Fatal(err)
	}
}

// TestReplaysRecord checks the fixtures themselves: every replay records
// and ends resolved with its milestones.
func TestReplaysRecord(t *testing.T) {
	e := newEnv(t)
	for name, rp := range replays {
		id := e.replay(rp)
		s := e.show(id)
		if s.Status != "resolved" || len(s.Milestones) != 5 || len(s.Updates) < 3 {
			t.Errorf("%s: status %s, milestones %v, %d updates", name, s.Status, s.Milestones, len(s.Updates))
		}
		if !strings.Contains(string(s.Retro), "root_cause") {
			t.Errorf("%s: the retro was not written: %s", name, s.Retro)
		}
	}
}
