package store

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/alert"
	"github.com/warroom-cli/warroom/internal/incident"
)

var alertNow = time.Date(2026, 12, 6, 12, 30, 0, 0, time.UTC)

func alertBatch(t testing.TB, name string, r alert.Rules) incident.AlertBatch {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "alert", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := alert.Decode(data, alert.Auto, alertNow)
	if err != nil {
		t.Fatal(err)
	}
	return alert.Plan(ev, r)
}

func applyAlert1(t testing.TB, s *Store, name string, r alert.Rules) AlertResult {
	t.Helper()
	res, err := s.ApplyAlerts([]incident.AlertBatch{alertBatch(t, name, r)}, r.Declare, alertNow)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res[0]
}

func entryTexts(es []incident.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Text)
	}
	return out
}

func checkClean(t *testing.T, s *Store) {
	t.Helper()
	rep, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 {
		t.Fatalf("check: %q", rep.Problems)
	}
}

func TestAlertDeclaresOnceAndFeedsTheIncident(t *testing.T) {
	s := openTemp(t)
	r := alert.DefaultRules()
	res := applyAlert1(t, s, "am_firing.json", r)
	if !res.Declared || res.ID != 1 || len(res.Added) == 0 {
		t.Fatalf("first payload: %+v", res)
	}
	inc, err := s.Incident(res.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Title != "Payments API returns 5xx above 5%" || inc.Severity != 1 || !slices.Equal(inc.Tags, []string{"payments", "core"}) || inc.Status != incident.Investigating {
		t.Errorf("declared %q %s %q %s", inc.Title, inc.Severity, inc.Tags, inc.Status)
	}
	if !inc.Created.Equal(time.Date(2026, 12, 6, 11, 50, 0, 0, time.UTC)) {
		t.Errorf("created %s, want the alert's start", inc.Created)
	}
	if inc.Alert == nil || inc.Alert.Source != "alertmanager" || inc.Alert.Name != "Payments5xx" || inc.Alert.Key == "" {
		t.Errorf("origin %+v", inc.Alert)
	}
	es := inc.VisibleEntries()
	if es[0].Set.Field != incident.FieldDeclared || !strings.Contains(es[0].Text, "from alert Payments5xx · alertmanager") {
		t.Errorf("first entry %q", es[0].Text)
	}
	// The labels, then the links (in an order fixed by their uids), then
	// the alert: all at the alert's time.
	got := entryTexts(es[1:])
	if len(got) != 5 || got[0] != "Labels: alertname=Payments5xx, instance=pay-1, service=payments, severity=critical, team=core" ||
		got[4] != "Alert firing: Payments5xx — Payments API returns 5xx above 5% (instance=pay-1, severity=critical, team=core)" {
		t.Errorf("timeline %q", got)
	}
	links := slices.Sorted(slices.Values(got[1:4]))
	if want := []string{"Runbook: https://runbooks.example.com/payments-5xx", "Source: http://prometheus.example.com/graph?g0.expr=rate", "alertmanager: http://alertmanager.example.com:9093"}; !slices.Equal(links, want) {
		t.Errorf("links %q", links)
	}
	for _, e := range es {
		if e.Author != "alert:warroom" || !incident.IsAlertEntry(e) {
			t.Errorf("entry %q by %q", e.Text, e.Author)
		}
	}
	count := len(inc.Entries)

	// Alertmanager resends the group every repeat_interval, with a
	// description that changed meanwhile: nothing is added.
	for _, name := range []string{"am_firing.json", "am_repeated.json"} {
		again := applyAlert1(t, s, name, r)
		if again.Declared || again.ID != 1 || len(again.Added) != 0 || again.Known == 0 {
			t.Fatalf("resend %s: %+v", name, again)
		}
	}
	// A second alert joins the group, one resolves, then all resolve.
	steps := []struct {
		file string
		adds []string
	}{
		{"am_two_firing.json", []string{"Alert firing: Payments5xx — Payments API returns 5xx above 5% (instance=pay-2, severity=critical, team=core)"}},
		{"am_partial.json", []string{"Alert resolved: Payments5xx — Payments API returns 5xx above 5% (instance=pay-1, severity=critical, team=core)"}},
		{"am_partial.json", nil},
		{"am_resolved.json", []string{"Alert resolved: Payments5xx — Payments API returns 5xx above 5% (instance=pay-2, severity=critical, team=core)", "Every alert of Payments5xx has resolved; the incident stays open until a person resolves it"}},
		{"am_resolved.json", nil},
	}
	for _, st := range steps {
		res := applyAlert1(t, s, st.file, r)
		if res.ID != 1 || res.Declared || !slices.Equal(entryTexts(res.Added), st.adds) {
			t.Errorf("%s: added %q, want %q", st.file, entryTexts(res.Added), st.adds)
		}
		count += len(st.adds)
	}
	inc, _ = s.Incident(1)
	if len(inc.Entries) != count {
		t.Errorf("%d entries, want %d", len(inc.Entries), count)
	}
	if inc.Status != incident.Investigating || !inc.Milestones[incident.MResolved].IsZero() || !inc.Milestones[incident.Mitigated].IsZero() {
		t.Errorf("an alert moved the incident: %s %v", inc.Status, inc.Milestones)
	}
	// Entries sit at the alerts' own times.
	for _, e := range inc.Entries {
		if strings.Contains(e.Text, "(instance=pay-2, severity=critical, team=core)") && strings.HasPrefix(e.Text, "Alert resolved") && !e.At.Equal(time.Date(2026, 12, 6, 12, 20, 0, 0, time.UTC)) {
			t.Errorf("%q at %s", e.Text, e.At)
		}
	}
	lists, _ := s.ListIncidents()
	if len(lists) != 1 {
		t.Errorf("%d incidents", len(lists))
	}
	checkClean(t, s)
}

func TestAlertMitigatesWhenAllowedNeverResolves(t *testing.T) {
	s := openTemp(t)
	r := alert.DefaultRules()
	r.AllowMitigated = true
	applyAlert1(t, s, "am_two_firing.json", r)
	applyAlert1(t, s, "am_resolved.json", r)
	inc, _ := s.Incident(1)
	if m := inc.Milestones[incident.Mitigated]; !m.Equal(time.Date(2026, 12, 6, 12, 20, 0, 0, time.UTC)) {
		t.Errorf("mitigated at %s", m)
	}
	if inc.Status != incident.Investigating {
		t.Errorf("status %s", inc.Status)
	}
}

func TestAlertPagerDutyAndCDEvents(t *testing.T) {
	s := openTemp(t)
	r := alert.DefaultRules()
	res := applyAlert1(t, s, "pd_trigger.json", r)
	if !res.Declared {
		t.Fatalf("trigger: %+v", res)
	}
	inc, _ := s.Incident(res.ID)
	if inc.Severity != 2 || inc.Alert.Source != "pagerduty" {
		t.Errorf("%s %+v", inc.Severity, inc.Alert)
	}
	for _, f := range []string{"pd_trigger.json", "pd_ack.json", "pd_ack.json", "pd_resolve.json", "pd_resolve.json"} {
		applyAlert1(t, s, f, r)
	}
	inc, _ = s.Incident(res.ID)
	var n struct{ ack, res, all int }
	for _, e := range inc.Entries {
		switch {
		case strings.HasPrefix(e.Text, "Alert acknowledged in PagerDuty"):
			n.ack++
		case strings.HasPrefix(e.Text, "Alert resolved"):
			n.res++
		case strings.HasPrefix(e.Text, "Every alert"):
			n.all++
		}
	}
	if n.ack != 1 || n.res != 1 || n.all != 1 {
		t.Errorf("acks %d, resolutions %d, all-resolved %d; want one each", n.ack, n.res, n.all)
	}
	cd := applyAlert1(t, s, "cdevents_detected.json", r)
	if !cd.Declared || cd.ID == res.ID {
		t.Fatalf("cdevents: %+v", cd)
	}
	rep := applyAlert1(t, s, "cdevents_reported.json", r)
	if rep.ID != cd.ID || rep.Declared || !slices.Contains(entryTexts(rep.Added), "Ticket: https://tickets.example.com/OPS-88") {
		t.Errorf("reported: %+v", rep)
	}
	checkClean(t, s)
}

// Two laptops run a receiver each and get the same alerts: their
// incidents are one incident, and a sync in either direction adds nothing.
func TestAlertTwoReceiversMakeOneRecord(t *testing.T) {
	a := openTemp(t)
	b, err := Open(filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	declare(t, b, "Pad so the local numbers differ")
	r := alert.DefaultRules()
	for _, f := range []string{"am_firing.json", "am_two_firing.json", "am_resolved.json"} {
		applyAlert1(t, a, f, r)
	}
	// b started later: it saw the group with two alerts first.
	for _, f := range []string{"am_two_firing.json", "am_partial.json", "am_resolved.json"} {
		applyAlert1(t, b, f, r)
	}
	uidA, opsA, err := a.Ops(1)
	if err != nil {
		t.Fatal(err)
	}
	uidB, opsB, err := b.Ops(2)
	if err != nil {
		t.Fatal(err)
	}
	if uidA != uidB {
		t.Fatalf("two incidents: %s and %s", uidA, uidB)
	}
	resB, err := b.ImportIncident(&incident.Incident{UID: uidA, Ops: opsA})
	if err != nil {
		t.Fatal(err)
	}
	resA, err := a.ImportIncident(&incident.Incident{UID: uidB, Ops: opsB})
	if err != nil {
		t.Fatal(err)
	}
	if resA.Changed() || resB.Changed() {
		t.Errorf("the sync brought something: %+v / %+v", resA, resB)
	}
	ia, _ := a.Incident(1)
	ib, _ := b.Incident(2)
	if comparableJSON(t, ia) != comparableJSON(t, ib) {
		t.Errorf("the copies differ:\n%s\n%s", comparableJSON(t, ia), comparableJSON(t, ib))
	}
}

func TestAlertPendingWhenDeclaringIsOff(t *testing.T) {
	s := openTemp(t)
	r := alert.DefaultRules()
	r.Declare = false
	res := applyAlert1(t, s, "am_firing.json", r)
	if res.ID != 0 || res.Declared || res.Pending == "" {
		t.Fatalf("%+v", res)
	}
	applyAlert1(t, s, "am_repeated.json", r)
	two := applyAlert1(t, s, "am_two_firing.json", r)
	if len(two.Added) != 1 {
		t.Errorf("second alert: %q", entryTexts(two.Added))
	}
	if l, _ := s.ListIncidents(); len(l) != 0 {
		t.Fatalf("%d incidents declared", len(l))
	}
	ps, err := s.PendingAlerts()
	if err != nil || len(ps) != 1 {
		t.Fatalf("%d pending, %v", len(ps), err)
	}
	p := ps[0]
	if p.ID != res.Pending || p.Origin.Name != "Payments5xx" || p.Declare.Title != "Payments API returns 5xx above 5%" || !slices.Equal(p.Firing, []string{"Payments5xx"}) {
		t.Errorf("pending %+v", p)
	}
	form := p.Form()
	form.Title = "Payments failing"
	form.Roles = map[string]string{incident.RoleLead: "amara"}
	inc, err := s.DeclarePending(p.ID, form, "amara", alertNow)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Title != "Payments failing" || inc.Severity != 1 || inc.Role(incident.RoleLead) != "amara" || inc.Alert == nil || !inc.Created.Equal(p.Declare.Created) {
		t.Errorf("declared %+v", inc)
	}
	full, _ := s.Incident(inc.ID)
	got := entryTexts(full.VisibleEntries())
	for _, w := range []string{"Alert firing: Payments5xx — Payments API returns 5xx above 5% (instance=pay-1, severity=critical, team=core)", "Alert firing: Payments5xx — Payments API returns 5xx above 5% (instance=pay-2, severity=critical, team=core)", "Runbook: https://runbooks.example.com/payments-5xx"} {
		if !slices.Contains(got, w) {
			t.Errorf("missing %q in %q", w, got)
		}
	}
	if full.VisibleEntries()[0].Author != "amara" {
		t.Errorf("declared by %q", full.VisibleEntries()[0].Author)
	}
	if ps, _ := s.PendingAlerts(); len(ps) != 0 {
		t.Errorf("still pending: %+v", ps)
	}
	if _, err := s.DeclarePending(p.ID, form, "amara", alertNow); err != ErrNoPending {
		t.Errorf("declaring twice: %v", err)
	}
	// Later payloads go to the declared incident.
	later := applyAlert1(t, s, "am_resolved.json", r)
	if later.ID != inc.ID || len(later.Added) != 3 {
		t.Errorf("after declaring: %+v %q", later, entryTexts(later.Added))
	}
	checkClean(t, s)

	// Dismissing drops one.
	applyAlert1(t, s, "pd_trigger.json", r)
	ps, _ = s.PendingAlerts()
	if len(ps) != 1 {
		t.Fatalf("%d pending", len(ps))
	}
	if err := s.DismissPending(ps[0].ID); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.PendingAlerts(); len(ps) != 0 {
		t.Errorf("dismissed but pending: %+v", ps)
	}
}

func TestAlertSharedKeyGoesToTheFirstDeclared(t *testing.T) {
	s := openTemp(t)
	r := alert.DefaultRules()
	applyAlert1(t, s, "am_firing.json", r)
	// A copy declared from a later first alert (another laptop), synced in.
	b := alertBatch(t, "am_firing.json", r)
	d := *b.Declare
	d.UID = "aother"
	d.Created = d.Created.Add(time.Minute)
	d.Opening = slices.Clone(d.Opening)
	d.Opening[0].At = d.Created
	d.Opening[0].UID = "aotherdecl"
	d.Opening[0].Key = "alert:0:other"
	if _, err := s.ApplyAlerts([]incident.AlertBatch{{Origin: b.Origin, Declare: &d}}, true, alertNow); err != nil {
		t.Fatal(err)
	}
	// That went to INC-1 (open with the key); declare INC-2 by hand with
	// the origin to make two open incidents with one key.
	other := &incident.Incident{UID: d.UID, Ops: d.Ops()[:2]}
	if _, err := s.ImportIncident(other); err != nil {
		t.Fatal(err)
	}
	l, _ := s.ListIncidents()
	if len(l) != 2 {
		t.Fatalf("%d incidents", len(l))
	}
	res := applyAlert1(t, s, "am_two_firing.json", r)
	if res.ID != 1 || !strings.Contains(res.Note, "INC-1 and INC-2 are both open") {
		t.Errorf("%+v", res)
	}
}

func TestAlertAfterAPersonResolved(t *testing.T) {
	s := openTemp(t)
	r := alert.DefaultRules()
	applyAlert1(t, s, "am_firing.json", r)
	c, err := incident.ParseCapture("/resolved", alertNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(1, c, alertNow, "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	// The same firing alert resent: its incident, no new one.
	res := applyAlert1(t, s, "am_repeated.json", r)
	if res.Declared || res.ID != 1 || len(res.Added) != 0 || !strings.Contains(res.Note, "is resolved") {
		t.Errorf("%+v", res)
	}
	// A resolution for a key with no open incident writes nothing.
	res = applyAlert1(t, s, "cdevents_resolved.json", r)
	if res.ID != 0 || res.Note == "" {
		t.Errorf("%+v", res)
	}
	// A new first alert of the same group declares a new incident.
	b := alertBatch(t, "am_firing.json", r)
	ev, _ := alert.Decode([]byte(strings.Replace(string(mustRead(t, "am_firing.json")), "2026-12-06T11:50:00Z", "2026-12-06T12:25:00Z", 1)), alert.Auto, alertNow)
	nb := alert.Plan(ev, r)
	if nb.Declare.UID == b.Declare.UID {
		t.Fatal("same uid for a new firing")
	}
	res2, err := s.ApplyAlerts([]incident.AlertBatch{nb}, true, alertNow)
	if err != nil || !res2[0].Declared || res2[0].ID != 2 {
		t.Errorf("%+v %v", res2, err)
	}
}

func mustRead(t *testing.T, name string) []byte {
	data, err := os.ReadFile(filepath.Join("..", "alert", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestAlertBatchesAreAllOrNothing(t *testing.T) {
	s := openTemp(t)
	r := alert.DefaultRules()
	good := alertBatch(t, "am_firing.json", r)
	bad := alertBatch(t, "pd_trigger.json", r)
	bad.Entries[0].Key = ""
	if _, err := s.ApplyAlerts([]incident.AlertBatch{good, bad}, true, alertNow); err == nil {
		t.Fatal("a bad batch was accepted")
	}
	if l, _ := s.ListIncidents(); len(l) != 0 {
		t.Errorf("%d incidents written", len(l))
	}
	// A future-dated operation is refused by the union, whole.
	fut := alertBatch(t, "cdevents_detected.json", r)
	for i := range fut.Entries {
		fut.Entries[i].At = alertNow.Add(5 * time.Hour)
		fut.Entries[i].RecordedAt = fut.Entries[i].At
	}
	if _, err := s.ApplyAlerts([]incident.AlertBatch{good, fut}, true, alertNow); err == nil || !strings.Contains(err.Error(), "ahead of this machine's clock") {
		t.Fatalf("future: %v", err)
	}
	if l, _ := s.ListIncidents(); len(l) != 0 {
		t.Errorf("%d incidents written", len(l))
	}
}

// Several laptops each run a receiver and get some of a group's payloads,
// in any order; after they exchange their records every copy holds the
// same incidents, byte for byte (local numbers aside), and no alert's
// news twice.
func TestAlertReplicasConverge(t *testing.T) {
	r := alert.DefaultRules()
	files := []string{"am_firing.json", "am_repeated.json", "am_two_firing.json", "am_partial.json", "am_resolved.json", "pd_trigger.json", "pd_ack.json", "pd_resolve.json", "cdevents_detected.json", "cdevents_reported.json", "cdevents_resolved.json"}
	batches := map[string]incident.AlertBatch{}
	for _, f := range files {
		batches[f] = alertBatch(t, f, r)
	}
	for seed := range uint64(12) {
		rng := rand.New(rand.NewPCG(seed, 23))
		stores := make([]*Store, 3)
		for i := range stores {
			s, err := Open(filepath.Join(t.TempDir(), fmt.Sprintf("r%d.db", i)))
			if err != nil {
				t.Fatal(err)
			}
			stores[i] = s
			// Each gets a random selection of the payloads, in a random
			// order, some of them twice.
			order := slices.Clone(files)
			rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
			for _, f := range order[:4+rng.IntN(len(order)-3)] {
				for range 1 + rng.IntN(2) {
					if _, err := s.ApplyAlerts([]incident.AlertBatch{batches[f]}, true, alertNow); err != nil {
						t.Fatalf("seed %d: %s: %v", seed, f, err)
					}
				}
			}
		}
		// Every copy brings in every other's incidents, twice over in a
		// random order, as syncs would.
		for range 2 {
			for _, i := range rng.Perm(len(stores)) {
				for _, j := range rng.Perm(len(stores)) {
					if i == j {
						continue
					}
					all, err := stores[j].AllIncidentsWithOps()
					if err != nil {
						t.Fatal(err)
					}
					for _, inc := range all {
						if _, err := stores[i].ImportIncident(&incident.Incident{UID: inc.UID, Ops: inc.Ops}); err != nil {
							t.Fatalf("seed %d: import into %d: %v", seed, i, err)
						}
					}
				}
			}
		}
		views := make([]map[string]string, len(stores))
		for i, s := range stores {
			all, err := s.AllIncidents()
			if err != nil {
				t.Fatal(err)
			}
			views[i] = map[string]string{}
			for _, inc := range all {
				views[i][inc.UID] = comparableJSON(t, inc)
				seen := map[string]bool{}
				for _, e := range inc.Entries {
					if seen[e.Key] && e.Key != "" {
						t.Errorf("seed %d: %s holds %q twice", seed, inc.Key(), e.Text)
					}
					seen[e.Key] = true
				}
			}
			checkClean(t, s)
		}
		for i := 1; i < len(views); i++ {
			if len(views[i]) != len(views[0]) {
				t.Fatalf("seed %d: copy %d holds %d incidents, copy 0 %d", seed, i, len(views[i]), len(views[0]))
			}
			for uid, v := range views[0] {
				if views[i][uid] != v {
					t.Fatalf("seed %d: incident %s differs between copies 0 and %d:\n%s\n%s", seed, uid, i, v, views[i][uid])
				}
			}
		}
	}
}
