package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

var words = strings.Fields("database pool checkout payment card retry deploy rollback cache latency queue worker " +
	"timeout error alert canary config dns certificate disk memory cpu shard replica login search email invoice")

// generate builds a repository of n incidents with perIncident entries
// each, deterministically from seed. Incident i is declared i days before
// base, has severity 1+i%4, is resolved unless i%5 == 0, and carries
// a few tags, updates, whys and actions.
func generate(n, perIncident int, seed uint64) []*incident.Incident {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	base := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	sentence := func() string {
		k := 4 + rng.IntN(8)
		ws := make([]string, k)
		for j := range ws {
			ws[j] = words[rng.IntN(len(words))]
		}
		return strings.Join(ws, " ")
	}
	out := make([]*incident.Incident, n)
	for i := range n {
		created := base.AddDate(0, 0, -i)
		inc := &incident.Incident{
			ID: int64(i + 1), UID: fmt.Sprintf("uid-%d", i), Title: fmt.Sprintf("Incident %d: %s", i+1, sentence()),
			Severity: incident.Severity(1 + i%4), Status: incident.Resolved, Cadence: 30 * time.Minute,
			Created: created, Updated: created.Add(2 * time.Hour),
			Roles:      map[string]string{incident.RoleLead: "lead"},
			Milestones: map[incident.Milestone]time.Time{incident.Started: created.Add(-10 * time.Minute), incident.Detected: created},
			Tags:       []string{words[i%3], words[3+i%7]},
		}
		if i%5 == 0 {
			inc.Status = incident.Investigating
		} else {
			inc.Milestones[incident.MResolved] = created.Add(time.Duration(10+i%50) * 10 * time.Minute)
		}
		for j := range perIncident {
			at := created.Add(time.Duration(j) * time.Minute)
			inc.Entries = append(inc.Entries, incident.Entry{ID: int64(j + 1), UID: fmt.Sprintf("e-%d-%d", i, j), At: at, RecordedAt: at,
				Author: "lead", Kind: incident.Kinds[j%len(incident.Kinds)], Text: sentence(), Starred: j%17 == 0})
		}
		for j := range 3 {
			at := created.Add(time.Duration(4+j*(25+i%10)) * time.Minute)
			inc.Updates = append(inc.Updates, incident.Update{ID: int64(j + 1), At: at, Author: "comms", Status: inc.Status, Text: sentence()})
		}
		inc.Retro = incident.Retro{
			Sections: []incident.Section{{Title: "Introduction", Text: sentence()}},
			Whys:     []incident.Why{{Why: sentence(), Because: sentence(), RootCause: true}},
			Actions: []incident.Action{
				{UID: fmt.Sprintf("a-%d", i), Title: sentence(), Kind: incident.Immediate, Owner: "lead", Due: created.AddDate(0, 0, 7), Done: i%2 == 0},
				{UID: fmt.Sprintf("b-%d", i), Title: sentence(), Kind: incident.LongTerm},
			},
		}
		out[i] = inc
	}
	return out
}

func TestSearchFindsEveryKindOfText(t *testing.T) {
	inc := demo()
	inc.Entries[7].Deleted = true // "Did anything deploy in the last hour?"
	other := generate(3, 5, 1)
	repo := append(other, inc)
	idx := NewSearchIndex(repo)
	tests := []struct {
		query string
		where []string
	}{
		{"CHECKOUT FAILING", []string{"title", "entry 5"}},
		{"pgbouncer", []string{"entry 16"}},
		{"no eta yet", []string{"entry 18", "update"}},
		{"one in ten", []string{"retro: Introduction"}},
		{"release checklist", []string{"why 4", "action"}},
		{"slow-card-provider", []string{"action"}},
		{"deploy in the last hour", nil},
		{"payments", []string{"tag", "entry 2", "entry 7", "entry 9", "entry 10", "entry 15", "retro: Introduction", "why 1", "action"}},
		{"   ", nil},
	}
	for _, tt := range tests {
		var where []string
		for _, h := range idx.Search(tt.query) {
			if h.Incident != "INC-7" {
				continue
			}
			where = append(where, h.Where)
			if h.Title != "Checkout failing for some customers" {
				t.Errorf("hit title %q", h.Title)
			}
			if !strings.Contains(strings.ToLower(h.Snippet), strings.ToLower(strings.TrimSpace(tt.query))) {
				t.Errorf("%q: snippet %q lacks the match", tt.query, h.Snippet)
			}
		}
		if !slices.Equal(where, tt.where) {
			t.Errorf("Search(%q) found %q, want %q", tt.query, where, tt.where)
		}
	}
	hits := Search(repo, "ongoing resolution")
	if len(hits) != 2 || hits[1].At == nil || hits[1].At.Format("15:04") != "14:20" {
		t.Errorf("update hit = %+v, want the entry and the 14:20 update", hits)
	}
}

func TestSearchSnippetsAndFolding(t *testing.T) {
	long := strings.Repeat("lorem ipsum ", 20) + "ÜBERLAST in Straße \x1b[31mİstanbul\x1b[0m " + strings.Repeat("dolor sit ", 20)
	inc := &incident.Incident{ID: 1, Title: "t", Entries: []incident.Entry{{ID: 3, Text: long}}}
	for _, q := range []string{"überlast", "STRASSE", "straße", "İstanbul"} {
		hits := Search([]*incident.Incident{inc}, q)
		if q == "STRASSE" {
			if len(hits) != 0 {
				t.Errorf("%q matched although ß does not fold to ss", q)
			}
			continue
		}
		if len(hits) != 1 {
			t.Fatalf("Search(%q) = %d hits, want 1", q, len(hits))
		}
		s := hits[0].Snippet
		if !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") || len(s) > 140 {
			t.Errorf("snippet %q is not a cut around the match", s)
		}
		if strings.ContainsRune(s, 0x1b) {
			t.Errorf("snippet %q carries an escape sequence", s)
		}
	}
}

func TestStatsOnAGeneratedRepository(t *testing.T) {
	repo := generate(60, 10, 2)
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	st := ComputeStats(repo, now, incident.DefaultPolicy())
	if st.Incidents != 60 || st.Open != 12 {
		t.Errorf("incidents %d open %d, want 60 and 12", st.Incidents, st.Open)
	}
	for s := 1; s <= 4; s++ {
		if got := st.BySeverity[fmt.Sprintf("SEV%d", s)]; got != 15 {
			t.Errorf("SEV%d = %d, want 15", s, got)
		}
	}
	// Declared daily back from 30 June: 30 in June, 30 in May (1..30 May? 31 days),
	wantMonths := map[string]int{"2026-06": 30, "2026-05": 30}
	total := 0
	for _, m := range st.ByMonth {
		total += m.Total
		if w, ok := wantMonths[m.Month]; ok && m.Total != w {
			t.Errorf("month %s = %d, want %d", m.Month, m.Total, w)
		}
	}
	if total != 60 || !slices.IsSortedFunc(st.ByMonth, func(a, b MonthCount) int { return strings.Compare(a.Month, b.Month) }) {
		t.Errorf("months %+v do not add up to 60 in order", st.ByMonth)
	}
	// Time to resolve for resolved incident i is 10m + (10+i%50)*10m.
	var want []time.Duration
	for i := range 60 {
		if i%5 != 0 {
			want = append(want, 10*time.Minute+time.Duration(10+i%50)*10*time.Minute)
		}
	}
	slices.Sort(want)
	if st.TimeToResolve.Count != 48 || st.TimeToResolve.MedianSeconds != int64(want[23]/time.Second) || st.TimeToResolve.P90Seconds != int64(want[43]/time.Second) {
		t.Errorf("time to resolve %+v, want median %v and p90 %v over 48", st.TimeToResolve, want[23], want[43])
	}
	if st.Actions.Total != 120 || st.Actions.Done != 30 || st.Actions.Open != 90 || len(st.Actions.Items) != 90 {
		t.Errorf("actions %d total, %d done, %d open, %d listed", st.Actions.Total, st.Actions.Done, st.Actions.Open, len(st.Actions.Items))
	}
	// Immediate actions are due 7 days after declaring; odd i are open, and
	// those declared more than 7 days before now are overdue.
	overdue := 0
	for i := 1; i < 60; i += 2 {
		if repo[i].Created.AddDate(0, 0, 7).Before(now) {
			overdue++
		}
	}
	if st.Actions.Overdue != overdue || !st.Actions.Items[0].Overdue {
		t.Errorf("overdue = %d (first item overdue %v), want %d listed first", st.Actions.Overdue, st.Actions.Items[0].Overdue, overdue)
	}
	if len(st.Tags) != 10 || st.Tags[0].Count < st.Tags[9].Count || st.Tags[0].Count != 20 {
		t.Errorf("tags = %+v, want the top 10 by count, the top one on 20 incidents", st.Tags)
	}
	if st.UpdateCadence.Due == 0 || st.UpdateCadence.OnTime+st.UpdateCadence.Missed != st.UpdateCadence.Due {
		t.Errorf("cadence %+v does not add up", st.UpdateCadence)
	}
}

func TestUpdateCadenceCompliance(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	p := incident.DefaultPolicy()
	mk := func(resolvedAfter time.Duration, updates ...time.Duration) *incident.Incident {
		inc := &incident.Incident{Created: t0, Cadence: 30 * time.Minute, Status: incident.Resolved, Milestones: map[incident.Milestone]time.Time{incident.MResolved: t0.Add(resolvedAfter)}}
		for _, u := range updates {
			inc.Updates = append(inc.Updates, incident.Update{At: t0.Add(u)})
		}
		return inc
	}
	tests := []struct {
		name        string
		inc         *incident.Incident
		due, onTime int
	}{
		{"every update on time", mk(70*time.Minute, 4*time.Minute, 30*time.Minute, 60*time.Minute), 3, 3},
		{"first update late", mk(40*time.Minute, 8*time.Minute, 35*time.Minute), 2, 1},
		{"silence after the first", mk(90*time.Minute, 5*time.Minute), 2, 1},
		{"resolved before anything was due", mk(3 * time.Minute), 0, 0},
		{"nothing ever published", mk(2 * time.Hour), 1, 0},
	}
	for _, tt := range tests {
		due, on := cadence(tt.inc, t0.Add(24*time.Hour), p)
		if due != tt.due || on != tt.onTime {
			t.Errorf("%s: %d due, %d on time; want %d and %d", tt.name, due, on, tt.due, tt.onTime)
		}
	}
	open := mk(0, 4*time.Minute)
	open.Status = incident.Identified
	delete(open.Milestones, incident.MResolved)
	if due, on := cadence(open, t0.Add(20*time.Minute), p); due != 1 || on != 1 {
		t.Errorf("open incident before the next update is due: %d due, %d on time", due, on)
	}
	if due, on := cadence(open, t0.Add(50*time.Minute), p); due != 2 || on != 1 {
		t.Errorf("open incident with the next update overdue: %d due, %d on time", due, on)
	}
}

func TestWriteAllIsRerunnable(t *testing.T) {
	dir := t.TempDir()
	repo := append(generate(4, 5, 3), demo())
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	opts := utcOptions()
	notes := filepath.Join(dir, "README.md")
	if err := os.WriteFile(notes, []byte("ours"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := WriteAll(dir, repo, opts, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != 6 || len(res.Removed) != 0 {
		t.Fatalf("first run %+v", res)
	}
	demoFile := filepath.Join(dir, "INC-7-checkout-failing-for-some-customers.md")
	got, err := os.ReadFile(demoFile)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Markdown(demo(), opts)
	if string(got) != string(Generated(want)) {
		t.Error("the incident file is not the incident's export under the generated marker")
	}
	fi1, _ := os.Stat(demoFile)

	// Rename the demo incident and delete another: their old files go.
	repo[4].Title = "Checkout: card payments failing"
	gone := FileName(repo[0])
	res, err = WriteAll(dir, repo[1:], opts, now)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Removed, []string{"INC-1-" + slug(repo[0].Title) + ".md", "INC-7-checkout-failing-for-some-customers.md"}) && !slices.Equal(res.Removed, []string{gone, "INC-7-checkout-failing-for-some-customers.md"}) {
		t.Errorf("removed %q", res.Removed)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	wantNames := []string{"INC-2-" + slug(repo[1].Title) + ".md", "INC-3-" + slug(repo[2].Title) + ".md", "INC-4-" + slug(repo[3].Title) + ".md", "INC-7-checkout-card-payments-failing.md", "README.md", "index.md"}
	if !slices.Equal(names, wantNames) {
		t.Errorf("directory holds %q, want %q", names, wantNames)
	}
	// A third identical run changes nothing on disk.
	fi2, _ := os.Stat(filepath.Join(dir, wantNames[0]))
	if _, err := WriteAll(dir, repo[1:], opts, now); err != nil {
		t.Fatal(err)
	}
	fi3, _ := os.Stat(filepath.Join(dir, wantNames[0]))
	if !fi2.ModTime().Equal(fi3.ModTime()) || fi1 == nil {
		t.Error("an unchanged incident file was rewritten")
	}
	if data, _ := os.ReadFile(notes); string(data) != "ours" {
		t.Error("WriteAll touched a file it does not own")
	}
}

func TestIndexContents(t *testing.T) {
	repo := append(generate(3, 5, 4), demo())
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	idx := string(Index(repo, utcOptions(), now))
	for _, want := range []string{
		"# Incident repository\n\n4 incidents, 2 open.",
		"| [INC-2](INC-2-" + slug(repo[1].Title) + ".md) | " + Inline(repo[1].Title) + " | SEV2 | resolved | 2026-06-29 | 2026-06-29 | 2h00m | draft |",
		"| [INC-7](INC-7-checkout-failing-for-some-customers.md) | Checkout failing for some customers | SEV2 | monitoring | 2026-05-04 | — | — | draft |",
		"| 2026-05 | 1 | 0 | 1 | 0 | 0 |",
		"| 2026-06 | 3 | 1 | 1 | 1 | 0 |",
		"Median 2h00m, 90th percentile 2h10m, over 2 resolved incidents.",
		"| payments | 1 |",
		"| INC-7 | Alert when the payments-db pool is above 80% for 5 minutes | immediate | dana | 2026-05-05 | **overdue** |",
	} {
		if !strings.Contains(idx, want) {
			t.Errorf("index lacks %q\n%s", want, idx)
		}
	}
	// Newest first: INC-1 (30 June) before INC-7 (4 May).
	if strings.Index(idx, "[INC-1]") > strings.Index(idx, "[INC-7]") {
		t.Error("the index is not newest first")
	}
	if string(Index(repo, utcOptions(), now)) != idx {
		t.Error("the index is not deterministic")
	}
}

func TestFileNameAndSlug(t *testing.T) {
	tests := map[string]string{
		"Checkout failing for some customers": "checkout-failing-for-some-customers",
		"  DB: 5xx @ eu-west-1!! ":            "db-5xx-eu-west-1",
		"../../etc/passwd":                    "etc-passwd",
		"日本語のみ":                               "incident",
		strings.Repeat("abc ", 30):            "abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc",
		"Checkout payments failing for EU customers after the PSP deploy": "checkout-payments-failing-for-eu-customers-after",
		strings.Repeat("x", 60): strings.Repeat("x", 50),
	}
	for in, want := range tests {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
	inc := &incident.Incident{ID: 12, Title: "A/B"}
	if got := FileName(inc); got != "INC-12-a-b.md" || !ownFile(got) {
		t.Errorf("FileName = %q", got)
	}
}

func TestOwnFileNames(t *testing.T) {
	for name, want := range map[string]bool{
		"INC-1.md": true, "INC-12-a-b.md": true, "INC-1-.md": true, "INC-007-x9.md": true, "INC-1--.md": true,
		"INC-.md": false, "INC-1-A.md": false, "INC-1x.md": false, "inc-1.md": false, "INC-1.md.bak": false,
		"INC-1-a_b.md": false, "INC-1.MD": false, "index.md": false, "INC-1-é.md": false, "xINC-1.md": false,
	} {
		if got := ownFile(name); got != want {
			t.Errorf("ownFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestEntryMayMatchKeepsEveryHit checks the prefilter's promise on the
// texts that stress it: whatever Search finds in an entry, the test lets
// the entry's stored JSON through.
func TestEntryMayMatchKeepsEveryHit(t *testing.T) {
	texts := []string{
		"Connection pool exhausted", "CONNECTION POOL exhausted on db-1", "pool\nexhausted", "pool\texhausted",
		"connection \x1b[1mpool\x1b[0m exhausted", "conn\u200bection pool", "a <b> & \"c\" \\ d", "Straße Ärger ÄRGER",
		"\u212aelvin", "İstanbul", "x\u2028y", "  padded  ", "",
	}
	queries := []string{"connection pool", "POOL EXHAUSTED", "pool exhausted", "connection", "<b> & \"c\"", "\\ d",
		"ärger", "straße", "\u212aelvin", "kelvin", "i̇stanbul", "x y", "padded", "zzz"}
	for _, text := range texts {
		e := incident.Entry{ID: 3, UID: "e", At: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC), Author: "amara", Kind: incident.KindNote, Text: text}
		raw, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		inc := &incident.Incident{ID: 1, Title: "t", Entries: []incident.Entry{e}}
		for _, q := range queries {
			found := false
			for _, h := range Search([]*incident.Incident{inc}, q) {
				found = found || h.Where == "entry 3"
			}
			if found && !EntryMayMatch(q)(raw) {
				t.Errorf("Search finds %q in %q, but EntryMayMatch turns the record down", q, text)
			}
		}
	}
	if EntryMayMatch("pool")([]byte(`{"id":1,"text":"disk full"}`)) {
		t.Error("EntryMayMatch lets through a plain record without the query")
	}
}

// FuzzEntryMayMatch holds EntryMayMatch to its promise for any text and
// query: it never turns down an entry that Search finds.
func FuzzEntryMayMatch(f *testing.F) {
	f.Add("Connection pool exhausted", "POOL")
	f.Add("pool\nexhausted", "pool exhausted")
	f.Add("a \x1b[31mred\x1b[0m flag", "red flag")
	f.Add("Ärger", "ärger")
	f.Add("<&>", "<&>")
	f.Fuzz(func(t *testing.T, text, query string) {
		e := incident.Entry{ID: 1, Text: text, Kind: incident.KindNote}
		raw, err := json.Marshal(e)
		if err != nil {
			t.Skip()
		}
		inc := &incident.Incident{ID: 1, Entries: []incident.Entry{e}}
		for _, h := range Search([]*incident.Incident{inc}, query) {
			if h.Where == "entry 1" && !EntryMayMatch(query)(raw) {
				t.Fatalf("Search finds %q in %q, but EntryMayMatch turns %s down", query, text, raw)
			}
		}
	})
}

// FuzzEntryMayMatchHelpers holds the word-at-a-time printable check and
// the jumping case-folded search to their plain definitions.
func FuzzEntryMayMatchHelpers(f *testing.F) {
	f.Add([]byte(`{"text":"Connection POOL exhausted"}`), []byte("pool"))
	f.Add([]byte("abc\x7fdefghij"), []byte("c"))
	f.Add([]byte("\x1f abcdefgh"), []byte("gh"))
	f.Add([]byte("ppppppppPpool"), []byte("pool"))
	f.Fuzz(func(t *testing.T, s, q []byte) {
		plain := true
		for _, c := range s {
			plain = plain && c >= 0x20 && c <= 0x7e
		}
		if got := printableASCII(s); got != plain {
			t.Fatalf("printableASCII(%q) = %v", s, got)
		}
		lower := func(b []byte) []byte {
			out := bytes.Clone(b)
			for i, c := range out {
				if 'A' <= c && c <= 'Z' {
					out[i] = c + 'a' - 'A'
				}
			}
			return out
		}
		q = lower(q)
		if len(q) == 0 {
			return
		}
		if got, want := containsFoldASCII(s, q), bytes.Contains(lower(s), q); got != want {
			t.Fatalf("containsFoldASCII(%q, %q) = %v", s, q, got)
		}
	})
}
