package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
)

// summariesAgree checks every stored summary against one built anew, and
// what list, stats and search read from them against what they read from
// the incidents themselves.
func summariesAgree(t *testing.T, s *Store, step string) {
	t.Helper()
	rep, err := s.Check()
	if err != nil || !rep.OK() {
		t.Fatalf("%s: check: %v %v", step, err, rep.Problems)
	}
	old, err := s.ListIncidents()
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.ListSummaries()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(old) {
		t.Fatalf("%s: %d summaries for %d incidents", step, len(got), len(old))
	}
	for i := range old {
		o, g := old[i], got[i]
		if o.ID != g.ID || o.Title != g.Title || o.Severity != g.Severity || o.Status != g.Status ||
			!o.Created.Equal(g.Created) || !o.Updated.Equal(g.Updated) || o.EntryCount != g.EntryCount ||
			!reflect.DeepEqual(o.Tags, g.Tags) || !reflect.DeepEqual(o.Milestones, g.Milestones) || o.Cadence != g.Cadence {
			t.Errorf("%s: list from the summary differs:\n%+v %d\n%+v %d", step, *g.Incident, g.EntryCount, *o.Incident, o.EntryCount)
		}
	}
	heads, err := s.IncidentHeads()
	if err != nil {
		t.Fatal(err)
	}
	fromSummaries, err := s.StatsIncidents()
	if err != nil {
		t.Fatal(err)
	}
	now := t0.Add(30 * 24 * time.Hour)
	a, _ := json.Marshal(export.ComputeStats(heads, now, incident.DefaultPolicy()))
	b, _ := json.Marshal(export.ComputeStats(fromSummaries, now, incident.DefaultPolicy()))
	if string(a) != string(b) {
		t.Errorf("%s: stats from the summaries differ:\n%s\nfrom the heads:\n%s", step, b, a)
	}
	for _, q := range []string{"pool", "ROLLBACK", "Ünïcode", "sev1", "grafana", "postmortem", "on call", "payments", "nothing matches this", "zebra", "entry 1", "metrics"} {
		all, err := s.IncidentsForSearch(export.EntryMayMatch(q))
		if err != nil {
			t.Fatal(err)
		}
		some, total, err := s.IncidentsMatching(q, export.EntryMayMatch(q))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(export.Search(all, q))
		have, _ := json.Marshal(export.Search(some, q))
		if string(want) != string(have) || total != len(all) {
			t.Errorf("%s: search %q through the summaries found %s in %d incidents; want %s in %d", step, q, have, total, want, len(all))
		}
	}
}

func TestSummariesFollowEveryWrite(t *testing.T) {
	// Short runs of timeline text too, so that writes fall on their
	// boundaries.
	for _, run := range []int{textRunBytes, 150} {
		t.Run(fmt.Sprintf("run=%d", run), func(t *testing.T) {
			defer func(old int) { textRunBytes = old }(textRunBytes)
			textRunBytes = run
			summariesFollowEveryWrite(t)
		})
	}
}

func summariesFollowEveryWrite(t *testing.T) {
	summariesFollowEveryWriteOn(t, openTemp(t))
}

// summariesFollowEveryWriteOn makes incidents in s through every kind of
// write, checking the summaries after each.
func summariesFollowEveryWriteOn(t *testing.T, s *Store) {
	p := incident.DefaultPolicy()
	one := declare(t, s, "Payments pool exhausted")
	two := declare(t, s, "Ünïcode title on the login gateway")
	summariesAgree(t, s, "declared")
	at := t0
	line := func(id int64, text string) Applied {
		t.Helper()
		at = at.Add(time.Minute)
		c, err := incident.ParseCapture(text, at)
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.Apply(id, c, at, "amara", p)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		return a
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"a line", func() { line(one.ID, "checked the pool metrics in grafana") }},
		{"severity", func() { line(one.ID, "/sev 1") }},
		{"tags", func() { line(one.ID, "/tag payments"); line(two.ID, "/tag Login") }},
		{"cadence", func() { line(one.ID, "/every 15m") }},
		{"status", func() { line(one.ID, "/status identified") }},
		{"draft and publish", func() { line(one.ID, "/draft We rolled back the payments deploy"); line(one.ID, "/publish") }},
		{"edit", func() {
			if _, err := s.EditEntry(one.ID, 2, at, "amara", func(e *incident.Entry) error { e.Text = "ROLLBACK of deploy 4711"; return nil }); err != nil {
				t.Fatal(err)
			}
		}},
		{"delete", func() {
			if _, err := s.DeleteEntry(two.ID, 1, at, "amara"); err == nil {
				t.Log("deleted the declaration")
			}
			a := line(two.ID, "on call paged")
			if _, err := s.DeleteEntry(two.ID, a.Entries[len(a.Entries)-1].ID, at, "amara"); err != nil {
				t.Fatal(err)
			}
		}},
		{"title", func() {
			if err := s.SetTitle(two.ID, "Login gateway down", at, "amara"); err != nil {
				t.Fatal(err)
			}
		}},
		{"retro", func() {
			if _, err := s.UpdateRetro(one.ID, "amara", at, func(r *incident.Retro) error {
				r.Actions = append(r.Actions, incident.Action{UID: NewUID(), Title: "Alert on pool saturation", Kind: incident.Immediate, Owner: "sam", Due: t0.Add(48 * time.Hour)})
				r.Whys = append(r.Whys, incident.Why{UID: NewUID(), Why: "the pool ran dry", Because: "a postmortem found no limit"})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}},
		{"action done", func() {
			if _, err := s.UpdateRetro(one.ID, "amara", at, func(r *incident.Retro) error {
				r.Actions[0].Done = true
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}},
		{"resolved", func() { line(one.ID, "/status resolved") }},
		{"backfill", func() {
			appendLines(t, s, two.ID, 30, 10)
		}},
		{"many lines", func() { appendLines(t, s, one.ID, 400, 7) }},
		{"edit in the middle", func() {
			for _, id := range []int64{40, 200, 380} {
				if _, err := s.EditEntry(one.ID, id, at, "amara", func(e *incident.Entry) error { e.Text = fmt.Sprintf("a Zebra in the middle (%d)", id); return nil }); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"delete in the middle", func() {
			if _, err := s.DeleteEntry(one.ID, 200, at, "amara"); err != nil {
				t.Fatal(err)
			}
		}},
		{"restore", func() {
			if _, err := s.RestoreEntry(one.ID, 200, at, "amara"); err != nil {
				t.Fatal(err)
			}
		}},
		{"re-time", func() {
			for _, id := range []int64{380, 41} {
				if _, err := s.EditEntry(one.ID, id, at, "amara", func(e *incident.Entry) error { e.At = t0.Add(-time.Hour); return nil }); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.EditEntry(one.ID, 42, at, "amara", func(e *incident.Entry) error { e.At = at.Add(time.Hour); return nil }); err != nil {
				t.Fatal(err)
			}
		}},
		{"line after", func() { line(one.ID, "the last zebra line") }},
		{"edit the last line", func() {
			inc, err := s.Incident(one.ID)
			if err != nil {
				t.Fatal(err)
			}
			last := inc.Entries[len(inc.Entries)-1]
			if _, err := s.EditEntry(one.ID, last.ID, at, "amara", func(e *incident.Entry) error { e.Text = "the very last ZEBRA"; return nil }); err != nil {
				t.Fatal(err)
			}
		}},
		{"lines in the past, one transaction", func() {
			var lines []incident.BackfillLine
			for i := range 12 {
				lines = append(lines, incident.BackfillLine{N: i + 1, At: t0.Add(time.Duration(i*37) * time.Minute), Text: fmt.Sprintf("backdated zebra %d", i)})
			}
			if _, err := s.ApplyBackfill(one.ID, lines, t0.Add(48*time.Hour), "amara", p); err != nil {
				t.Fatal(err)
			}
		}},
		{"import", func() {
			inc := &incident.Incident{Title: "Imported sev1 on payments", Severity: 1, Status: incident.Resolved, Created: t0, Updated: t0.Add(time.Hour),
				Tags: []string{"imported"}, Roles: map[string]string{incident.RoleLead: "amara"}}
			inc.Entries = []incident.Entry{incident.DeclaredEntry(inc, "amara", t0),
				{UID: "imp-1", At: t0.Add(time.Minute), RecordedAt: t0.Add(time.Minute), Author: "amara", Kind: incident.KindNote, Text: "pool drained"}}
			inc.Updates = []incident.Update{{UID: "imp-u", At: t0.Add(2 * time.Minute), Author: "sam", Status: incident.Investigating, Text: "We are looking into payments"}}
			if _, err := s.ImportIncident(inc); err != nil {
				t.Fatal(err)
			}
		}},
		{"ui state", func() {
			if _, err := s.SetUIState(one.ID, "line:amara", "half typed"); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, st := range steps {
		st.do()
		summariesAgree(t, s, st.name)
	}
}

// A database from before summaries gets them on open.
func TestMigrationBuildsSummaries(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "pool exhausted")
	appendLines(t, s, inc.ID, 5, 5)
	db, err := bolt.Open(s.Path(), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketSummaries, bucketEntryText} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, u64(summarySchema-1))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := CheckFile(s.Path()); err != nil || !rep.OK() {
		t.Fatalf("check of a file from before summaries: %v %v", err, rep.Problems)
	}
	s2, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	summariesAgree(t, s2, "migrated")
	list, err := s2.ListSummaries()
	if err != nil || len(list) != 1 || list[0].EntryCount != 6 {
		t.Fatalf("list after migrating: %v %+v", err, list)
	}
}

// A summary that does not match its incident is reported by check, and a
// damaged one is an error for list rather than a wrong line.
func TestCheckFindsWrongAndDamagedSummaries(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "pool exhausted")
	var stored []byte
	edit := func(fn func(v []byte) []byte) {
		t.Helper()
		db, err := bolt.Open(s.Path(), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Update(func(tx *bolt.Tx) error {
			sb := tx.Bucket(bucketSummaries)
			v := append([]byte(nil), sb.Get(idKey(inc.ID))...)
			if stored == nil {
				stored = v
			}
			return sb.Put(idKey(inc.ID), fn(v))
		}); err != nil {
			t.Fatal(err)
		}
	}
	// A summary that decodes but says another title.
	edit(func(v []byte) []byte {
		sm, err := decodeSummary(v)
		if err != nil {
			t.Fatal(err)
		}
		sm.title = "something else"
		return sm.encode()
	})
	rep, err := s.Check()
	if err != nil || rep.OK() || rep.Problems[0] != fmt.Sprintf("%s: its summary (what list, stats and search read) differs from the incident", inc.Key()) {
		t.Fatalf("check of a wrong summary: %v %v", err, rep.Problems)
	}
	// A flipped bit.
	edit(func([]byte) []byte {
		v := append([]byte(nil), stored...)
		v[10] ^= 0x40
		return v
	})
	if rep, _ := s.Check(); rep.OK() {
		t.Error("check passed a damaged summary")
	}
	if _, err := s.ListSummaries(); !errors.Is(err, ErrCorrupt) {
		t.Errorf("list of a damaged summary: %v; want it reported as damage", err)
	}
	// The next write to the incident makes it whole again.
	if _, err := s.AppendEntry(inc.ID, benchEntry()); err != nil {
		t.Fatal(err)
	}
	summariesAgree(t, s, "rewritten")
}

func TestSummaryEncodingRoundTrips(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	sm := summary{headCRC: 1, retroCRC: 2, updatesCRC: 3, id: 7, title: "t", severity: 2, status: "investigating", cadence: int64(30 * time.Minute),
		created: t0, updated: t0.In(berlin), tags: []string{}, milestones: []milestoneAt{{"detected", t0}}, entries: 41,
		headText: "t\n", updates: []time.Time{t0, t0.Add(time.Hour)}, updatesText: "u\n",
		actions: []incident.Action{{Title: "a", Kind: incident.Immediate, Owner: "o", Due: t0, Done: true}}, retroText: "r\n"}
	got, err := decodeSummary(sm.encode())
	if err != nil {
		t.Fatal(err)
	}
	// A time in another zone comes back as JSON had it (its zone is
	// another value of the same offset and name).
	if a, b := mustJSON(t, got.updated), mustJSON(t, sm.updated); a != b {
		t.Errorf("a time in another zone comes back as %s; want %s", a, b)
	}
	got.updated, sm.updated = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, sm) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, sm)
	}
	sm.updated = t0.In(berlin)
	for n := range len(sm.encode()) - 1 {
		if _, err := decodeSummary(sm.encode()[:n]); err == nil {
			t.Fatalf("a summary cut to %d bytes decodes", n)
		}
	}
}

// An export into a folder where nothing changed reads the incidents from
// their summaries; the index made from them is the index made from the
// incidents read whole, and their stamps are those of the full read.
func TestExportFromSummaries(t *testing.T) {
	s := openTemp(t)
	summariesFollowEveryWriteOn(t, s)
	whole, err := s.IncidentsForExport()
	if err != nil {
		t.Fatal(err)
	}
	_, fullStamps, err := s.IncidentsForExportIf(func(string, string) bool { return false })
	if err != nil {
		t.Fatal(err)
	}
	light, stamps, isLight, err := s.IncidentsForExportLight(func(string, string) bool { return false })
	if err != nil || !isLight {
		t.Fatalf("IncidentsForExportLight = light %v, %v", isLight, err)
	}
	if !reflect.DeepEqual(stamps, fullStamps) {
		t.Errorf("stamps from the summaries %q; the full read's %q", stamps, fullStamps)
	}
	opts := export.Options{Policy: incident.DefaultPolicy(), Location: time.UTC}
	for _, now := range []time.Time{t0, t0.Add(72 * time.Hour)} {
		if a, b := export.Index(whole, opts, now), export.Index(light, opts, now); string(a) != string(b) {
			t.Errorf("the index from the summaries differs:\n%s\nfrom the incidents:\n%s", b, a)
		}
	}
	// One incident to write again: the full read.
	_, _, isLight, err = s.IncidentsForExportLight(func(uid, _ string) bool { return uid == whole[0].UID })
	if err != nil || isLight {
		t.Errorf("with an incident to write, IncidentsForExportLight = light %v, %v", isLight, err)
	}
}

// A file where an incident has no summary (damaged) is read through the
// incidents themselves, so list, stats and search still show it; check
// names the missing summary.
func TestMissingSummaryFallsBack(t *testing.T) {
	s := openTemp(t)
	declare(t, s, "pool exhausted")
	lost := declare(t, s, "payments pool down")
	db, err := bolt.Open(s.Path(), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSummaries).Delete(idKey(lost.ID)) })
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ListSummaries()
	if err != nil || len(list) != 2 || list[0].Title != "payments pool down" {
		t.Errorf("list without a summary: %v %+v", err, list)
	}
	incs, err := s.StatsIncidents()
	if err != nil || len(incs) != 2 {
		t.Errorf("stats without a summary: %v, %d incidents", err, len(incs))
	}
	found, total, err := s.IncidentsMatching("payments", export.EntryMayMatch("payments"))
	if err != nil || total != 2 || len(export.Search(found, "payments")) == 0 {
		t.Errorf("search without a summary: %v, %d of %d", err, len(found), total)
	}
	_, _, light, err := s.IncidentsForExportLight(func(string, string) bool { return false })
	if err != nil || light {
		t.Errorf("export without a summary: light %v, %v", light, err)
	}
	rep, err := s.Check()
	if err != nil || rep.OK() {
		t.Errorf("check passed a file without a summary: %v", err)
	}
}
