package incident

import (
	"strings"
	"time"
)

// Demo returns the handbook's example incident, fully populated, so that a
// newcomer sees a busy cockpit at once: roles, channels, milestones, a
// technical timeline of every kind around the handbook's four public
// updates, an ETA and a retrospective already under way.
//
// The demo happens "today": every time falls on now's day (in now's
// location) between 12:05 and 14:28, or on the day before when now is
// earlier than 14:30, so nothing lies in the future. The result depends on
// now only, so the same now gives the same incident. IDs and UIDs are left
// zero for the store to assign.
func Demo(now time.Time) *Incident {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	if now.Before(day.Add(14*time.Hour + 30*time.Minute)) {
		day = day.AddDate(0, 0, -1)
	}
	at := func(h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, day.Location())
	}
	const (
		lead  = "amara"
		comms = "ben"
		sme   = "chen"
		dba   = "dana"
	)
	inc := &Incident{
		Title:    "Checkout failing for some customers",
		Severity: 2,
		Status:   Monitoring,
		Roles: map[string]string{
			RoleLead:                lead,
			RoleComms:               comms,
			"payments expert":       sme,
			"database expert":       dba,
			"customer support lead": "elif",
		},
		WarRoom:       "#inc-checkout",
		PublicChannel: "#status",
		Cadence:       30 * time.Minute,
		ETA:           at(15, 0),
		Tags:          []string{"payments", "deploy", "database"},
		Created:       at(12, 25),
		Updated:       at(14, 28),
		Milestones: map[Milestone]time.Time{
			Started:      at(12, 5),
			Detected:     at(12, 18),
			Acknowledged: at(12, 24),
			Mitigated:    at(14, 25),
		},
	}

	type line struct {
		h, m    int
		author  string
		kind    Kind
		text    string
		starred bool
	}
	lines := []line{
		{12, 5, lead, KindMilestone, "Started", false},
		{12, 18, "pagerbot", KindNote, "Alert: checkout error rate 4% (threshold 2%) on payments-api", false},
		{12, 18, lead, KindMilestone, "Detected", false},
		{12, 24, lead, KindMilestone, "Acknowledged", false},
		{12, 25, lead, KindSystem, "Incident declared: Checkout failing for some customers (SEV3); resolution lead: amara", false},
		{12, 26, lead, KindRole, "ben is Communication lead", false},
		{12, 27, lead, KindAction, "Opened #inc-checkout and paged the payments on-call (chen)", false},
		{12, 31, lead, KindQuestion, "Did anything deploy in the last hour?", false},
		{12, 33, sme, KindNote, "payments-api v2.14 went out at 11:58; it changes how card authorisation is retried", false},
		{12, 35, lead, KindNote, "Error rate up to 9%; only card payments fail, wallets and invoices are fine", true},
		{12, 36, lead, KindStatus, "Severity SEV3 → SEV2", false},
		{12, 38, lead, KindStatus, "Status investigating → identified", false},
		{12, 40, comms, KindPublic, "Issue identified; team working on resolution.", false},
		{12, 46, lead, KindDecision, "No rollback yet: v2.14 also carries the VAT fix finance needs today", false},
		{12, 52, dba, KindNote, "payments-db connection pool at 200/200; queries queue behind it", true},
		{12, 58, dba, KindAction, "Raised the pgbouncer pool to 300 as a stopgap", false},
		{13, 4, dba, KindNote, "No improvement: the new connections saturate within two minutes", false},
		{13, 10, comms, KindPublic, "Still investigating the problem; no ETA yet.", false},
		{13, 28, sme, KindNote, "Retry storm: v2.14 retries card authorisation 5 times with no backoff, each retry holding a connection", true},
		{13, 35, lead, KindDecision, "Roll forward: hotfix v2.14.1 caps retries at 2 with exponential backoff", true},
		{13, 40, comms, KindPublic, "Root cause identified; resolution plan in progress.", false},
		{13, 52, sme, KindAction, "Hotfix v2.14.1 built and in canary at 10%", false},
		{14, 5, comms, KindQuestion, "Support asks: do customers need to retry failed orders themselves?", false},
		{14, 8, sme, KindNote, "Canary healthy: 0.3% errors on canary against 8% elsewhere", false},
		{14, 12, sme, KindAction, "Rolling v2.14.1 out to 100%", false},
		{14, 18, lead, KindSystem, "ETA set to 15:00", false},
		{14, 20, comms, KindPublic, "Ongoing resolution efforts; ETA for resolution provided.", false},
		{14, 25, lead, KindMilestone, "Mitigated", false},
		{14, 25, sme, KindNote, "Checkout errors back to the 0.2% baseline", true},
		{14, 26, lead, KindStatus, "Status identified → monitoring", false},
		{14, 28, lead, KindAction, "Retro started; monitoring until 15:00 before resolving", false},
	}
	for _, l := range lines {
		t := at(l.h, l.m)
		inc.Entries = append(inc.Entries, Entry{At: t, RecordedAt: t, Author: l.author, Kind: l.kind, Text: l.text, Starred: l.starred})
		if l.kind == KindPublic {
			inc.Updates = append(inc.Updates, Update{At: t, Author: comms, Status: Identified, Text: l.text})
		}
	}

	retroAt := at(14, 28)
	inc.Retro = Retro{
		Status: RetroDraft,
		Sections: []Section{
			{
				Title: "Introduction",
				Text: "From 12:05 about one in ten card payments at checkout failed. Release v2.14 of payments-api " +
					"retried card authorisation five times without backoff, and every retry held a database " +
					"connection, so the pool ran dry whenever the card provider slowed down.\n\n" +
					"Raising the pool did not help. A hotfix (v2.14.1) capping retries at two with backoff was " +
					"rolled forward and checkout recovered at 14:25.",
				Contributors: []string{lead, sme},
				Edited:       retroAt,
			},
			{Title: "Timeline", Text: "Built from the incident timeline; starred entries are the turning points.", Contributors: []string{lead}, Edited: retroAt},
			{Title: "Five whys", Contributors: []string{lead, dba}, Edited: retroAt},
			{Title: "Actions", Contributors: []string{lead}, Edited: retroAt},
		},
		Whys: []Why{
			{Why: "Why did checkout fail for some customers?", Because: "Card payments timed out waiting for a database connection.", Author: lead},
			{Why: "Why were there no connections left?", Because: "Retries of card authorisation held every connection in the pool.", Author: dba},
			{Why: "Why were there so many retries?", Because: "v2.14 retried five times with no backoff whenever the card provider was slow.", Author: sme},
			{Why: "Why did that reach production?", Because: "Our load tests never simulate a slow card provider, and the release checklist has no failure-injection step.", RootCause: true, Author: lead},
		},
		Actions: []Action{
			{Title: "Cap card authorisation retries at 2 with exponential backoff (v2.14.1)", Kind: Immediate, Owner: sme, Due: at(14, 25), Done: true, Author: lead},
			{Title: "Alert when the payments-db pool is above 80% for 5 minutes", Kind: Immediate, Owner: dba, Due: day.AddDate(0, 0, 1).Add(17 * time.Hour), Author: lead},
			{Title: "Add a slow-card-provider scenario to the checkout load tests", Kind: LongTerm, Owner: sme, Due: day.AddDate(0, 0, 14).Add(17 * time.Hour), Author: lead},
			{Title: "Add failure injection to the release checklist for payment services", Kind: LongTerm, Owner: lead, Due: day.AddDate(0, 0, 30).Add(17 * time.Hour), Author: lead},
		},
	}
	return inc
}

// DemoFactors are the demo retro's contributing factors, linked to the
// entries of inc (the demo as stored, so its entries have uids) that show
// them.
func DemoFactors(inc *Incident) []Factor {
	find := func(prefix string) []string {
		for _, e := range inc.Entries {
			if strings.HasPrefix(e.Text, prefix) && e.UID != "" {
				return []string{e.UID}
			}
		}
		return nil
	}
	join := func(lists ...[]string) []string {
		var out []string
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}
	return []Factor{
		{UID: "demo-f1", Cause: "The release note did not say v2.14 changed how card authorisation retries", Author: "chen",
			Evidence: join(find("payments-api v2.14 went out"), find("Retry storm"))},
		{UID: "demo-f2", Cause: "Raising the pool hid the retry storm for a few minutes instead of showing it", Author: "dana",
			Evidence: join(find("Raised the pgbouncer pool"), find("No improvement"))},
		{UID: "demo-f3", Cause: "The VAT fix in the same release ruled out a quick rollback", Author: "amara",
			Evidence: find("No rollback yet")},
		{UID: "demo-f4", Cause: "The canary was already set up for payments-api, so the hotfix could be tried on 10% first", Lucky: true, Author: "chen",
			Evidence: join(find("Hotfix v2.14.1 built"), find("Canary healthy"))},
	}
}
