package incident

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var retroNow = time.Date(2026, 3, 4, 16, 0, 0, 0, time.UTC)

func titles(r *Retro) []string {
	out := make([]string, len(r.Sections))
	for i, s := range r.Sections {
		out[i] = s.Title
	}
	return out
}

func TestEnsureSections(t *testing.T) {
	tests := []struct {
		name    string
		have    []Section
		config  []string
		want    []string
		texts   map[string]string
		changed bool
	}{
		{
			name:    "empty retro gets the handbook's sections",
			config:  DefaultSections,
			want:    []string{"Introduction", "Timeline", "Five whys", "Actions"},
			changed: true,
		},
		{
			name:    "reordered to config order, text kept",
			have:    []Section{{Title: "Actions"}, {Title: "Introduction", Text: "db died"}},
			config:  DefaultSections,
			want:    []string{"Introduction", "Timeline", "Five whys", "Actions"},
			texts:   map[string]string{"Introduction": "db died"},
			changed: true,
		},
		{
			name:    "section removed from config keeps its text after the configured ones",
			have:    []Section{{Title: "Introduction"}, {Title: "What went well", Text: "paging worked"}, {Title: "Timeline"}},
			config:  []string{"Introduction", "Timeline"},
			want:    []string{"Introduction", "Timeline", "What went well"},
			texts:   map[string]string{"What went well": "paging worked"},
			changed: true,
		},
		{
			name:    "empty section removed from config is dropped",
			have:    []Section{{Title: "Introduction"}, {Title: "Impact"}},
			config:  []string{"Introduction"},
			want:    []string{"Introduction"},
			changed: true,
		},
		{
			name:    "section with only contributors is kept",
			have:    []Section{{Title: "Five whys", Contributors: []string{"li"}}},
			config:  []string{"Introduction"},
			want:    []string{"Introduction", "Five whys"},
			changed: true,
		},
		{
			name:    "titles match regardless of case and spacing",
			have:    []Section{{Title: "five WHYS ", Text: "x"}},
			config:  []string{"Five whys"},
			want:    []string{"five WHYS "},
			changed: false,
		},
		{
			name:    "duplicate configured titles appear once",
			config:  []string{"Introduction", "introduction", " ", "Actions"},
			want:    []string{"Introduction", "Actions"},
			changed: true,
		},
		{
			name:    "duplicate stored sections merge their text",
			have:    []Section{{Title: "Introduction", Text: "a"}, {Title: "Introduction", Text: "b", Contributors: []string{"li"}}},
			config:  []string{"Introduction"},
			want:    []string{"Introduction"},
			texts:   map[string]string{"Introduction": "a\n\nb"},
			changed: true,
		},
		{
			name:    "already in order is unchanged",
			have:    []Section{{Title: "Introduction"}, {Title: "Timeline"}, {Title: "Five whys"}, {Title: "Actions"}},
			config:  DefaultSections,
			want:    []string{"Introduction", "Timeline", "Five whys", "Actions"},
			changed: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Retro{Status: RetroDraft, Sections: slices.Clone(tt.have)}
			changed := EnsureSections(&r, tt.config)
			if got := titles(&r); !slices.Equal(got, tt.want) {
				t.Errorf("sections = %q; want %q", got, tt.want)
			}
			if changed != tt.changed {
				t.Errorf("changed = %v; want %v", changed, tt.changed)
			}
			for title, text := range tt.texts {
				if s := r.Section(title); s == nil || s.Text != text {
					t.Errorf("section %q = %+v; want text %q", title, s, text)
				}
			}
		})
	}
}

func TestEnsureSectionsSetsDraftAndPresetsWork(t *testing.T) {
	for name, preset := range RetroPresets {
		r := Retro{}
		if !EnsureSections(&r, preset) {
			t.Errorf("%s: EnsureSections on an empty retro reported no change", name)
		}
		if r.Status != RetroDraft {
			t.Errorf("%s: status = %q; want draft", name, r.Status)
		}
		if !slices.Equal(titles(&r), preset) {
			t.Errorf("%s: sections = %q; want %q", name, titles(&r), preset)
		}
		if EnsureSections(&r, preset) {
			t.Errorf("%s: second EnsureSections reported a change", name)
		}
	}
}

func TestSetSectionText(t *testing.T) {
	r := Retro{}
	EnsureSections(&r, DefaultSections)
	changed, err := SetSectionText(&r, "introduction", "The API failed.", "amara", retroNow)
	if err != nil || !changed {
		t.Fatalf("SetSectionText = %v, %v; want true, nil", changed, err)
	}
	s := r.Section("Introduction")
	if s.Text != "The API failed." || !slices.Equal(s.Contributors, []string{"amara"}) || !s.Edited.Equal(retroNow) {
		t.Errorf("section = %+v", *s)
	}
	// The same text again credits nobody.
	if changed, _ := SetSectionText(&r, "Introduction", "The API failed.", "li", retroNow); changed {
		t.Error("unchanged text reported a change")
	}
	if got := r.Section("Introduction").Contributors; !slices.Equal(got, []string{"amara"}) {
		t.Errorf("contributors after a no-op = %q", got)
	}
	if _, err := SetSectionText(&r, "Introduction", "The API failed.\nWe rolled back.", "li", retroNow); err != nil {
		t.Fatal(err)
	}
	if got := r.Section("Introduction").Contributors; !slices.Equal(got, []string{"amara", "li"}) {
		t.Errorf("contributors = %q; want amara, li", got)
	}
	// A section that is not configured is created rather than lost.
	if _, err := SetSectionText(&r, "Luck", "the backup was fresh", "li", retroNow); err != nil {
		t.Fatal(err)
	}
	if r.Section("Luck") == nil || !r.HasContent("Luck") {
		t.Error("text for an unknown section was not kept")
	}
	if _, err := SetSectionText(&r, "  ", "x", "li", retroNow); err == nil {
		t.Error("a section without a title was accepted")
	}
	if got := r.Contributors(); !slices.Equal(got, []string{"amara", "li"}) {
		t.Errorf("Contributors() = %q", got)
	}
}

func TestAnnotateEntry(t *testing.T) {
	r := Retro{}
	EnsureSections(&r, DefaultSections)
	e := Entry{At: time.Date(2026, 3, 4, 12, 40, 0, 0, time.UTC), Text: "Restarted the primary database\x1b[2J after the failover stalled"}
	if err := AnnotateEntry(&r, e, "should have been automatic", "amara", retroNow); err != nil {
		t.Fatal(err)
	}
	if err := AnnotateEntry(&r, Entry{At: e.At.Add(time.Minute), Text: "paged"}, "fast", "li", retroNow); err != nil {
		t.Fatal(err)
	}
	s := r.Section(SectionTimeline)
	want := "- 12:40 “Restarted the primary database after…”: should have been automatic\n- 12:41 “paged”: fast"
	if s.Text != want {
		t.Errorf("timeline text =\n%s\nwant\n%s", s.Text, want)
	}
	if !slices.Equal(s.Contributors, []string{"amara", "li"}) {
		t.Errorf("contributors = %q", s.Contributors)
	}
	if err := AnnotateEntry(&r, e, "  ", "amara", retroNow); err == nil {
		t.Error("an empty note was accepted")
	}
}

func TestWhys(t *testing.T) {
	r := Retro{}
	EnsureSections(&r, DefaultSections)
	if p := NextWhyPrompt(&r); !strings.HasPrefix(p, "Why 1 of 5") {
		t.Errorf("first prompt = %q", p)
	}
	if _, err := AddWhy(&r, " ", "", "amara", retroNow); err == nil {
		t.Error("an empty why was accepted")
	}
	steps := [][2]string{
		{"Why did checkout fail?", "The database ran out of connections."},
		{"Why did it run out?", "A deploy doubled the pool size."},
		{"Why was that not caught?", "Staging has no load test."},
	}
	for i, s := range steps {
		n, err := AddWhy(&r, s[0], s[1], "amara", retroNow)
		if err != nil || n != i {
			t.Fatalf("AddWhy %d = %d, %v", i, n, err)
		}
	}
	if p := NextWhyPrompt(&r); p != "Why 4 of 5: why staging has no load test?" {
		t.Errorf("prompt = %q", p)
	}

	// Move the last one up, then back down.
	if j, err := MoveWhy(&r, 2, -1, "li", retroNow); err != nil || j != 1 || r.Whys[1].Why != steps[2][0] {
		t.Fatalf("MoveWhy up = %d, %v; whys %+v", j, err, r.Whys)
	}
	if j, err := MoveWhy(&r, 1, +1, "li", retroNow); err != nil || j != 2 || r.Whys[2].Why != steps[2][0] {
		t.Fatalf("MoveWhy down = %d, %v; whys %+v", j, err, r.Whys)
	}
	if _, err := MoveWhy(&r, 0, -1, "li", retroNow); err == nil || !strings.Contains(err.Error(), "first") {
		t.Errorf("moving the first up: %v", err)
	}
	if _, err := MoveWhy(&r, 2, +1, "li", retroNow); err == nil || !strings.Contains(err.Error(), "last") {
		t.Errorf("moving the last down: %v", err)
	}

	// One root cause at a time; marking it again clears it.
	if ok, err := MarkRootCause(&r, 2, "li", retroNow); err != nil || !ok || r.RootCause() != 2 {
		t.Fatalf("MarkRootCause(2) = %v, %v; root %d", ok, err, r.RootCause())
	}
	if ok, _ := MarkRootCause(&r, 1, "li", retroNow); !ok || r.RootCause() != 1 || r.Whys[2].RootCause {
		t.Fatalf("second mark did not move the root cause: %+v", r.Whys)
	}
	if ok, _ := MarkRootCause(&r, 1, "li", retroNow); ok || r.RootCause() != -1 {
		t.Fatalf("marking the root cause again did not clear it: %+v", r.Whys)
	}

	if err := EditWhy(&r, 0, "Why did checkout fail?", "Connections ran out.", "kim", retroNow); err != nil || r.Whys[0].Because != "Connections ran out." {
		t.Fatalf("EditWhy = %v; %+v", err, r.Whys[0])
	}
	if err := EditWhy(&r, 0, "", "", "kim", retroNow); err == nil {
		t.Error("editing a why to nothing was accepted")
	}
	if err := EditWhy(&r, 7, "a", "b", "kim", retroNow); err == nil {
		t.Error("editing a missing why was accepted")
	}
	if err := DeleteWhy(&r, 1, "kim", retroNow); err != nil || len(r.Whys) != 2 || r.Whys[1].Why != steps[2][0] {
		t.Fatalf("DeleteWhy = %v; %+v", err, r.Whys)
	}
	if err := DeleteWhy(&r, -1, "kim", retroNow); err == nil {
		t.Error("deleting why -1 was accepted")
	}
	if got := r.Section(SectionWhys).Contributors; !slices.Equal(got, []string{"amara", "li", "kim"}) {
		t.Errorf("five whys contributors = %q", got)
	}
	if r.Whys[0].Author != "amara" {
		t.Errorf("why author = %q; want the one who added it", r.Whys[0].Author)
	}
}

func TestNextWhyPrompt(t *testing.T) {
	mk := func(n int, lastBecause string) *Retro {
		r := &Retro{}
		for i := range n {
			b := "cause " + strconv.Itoa(i)
			if i == n-1 {
				b = lastBecause
			}
			r.Whys = append(r.Whys, Why{Why: "why", Because: b})
		}
		return r
	}
	tests := []struct {
		name string
		r    *Retro
		want string
	}{
		{"none yet", mk(0, ""), "Why 1 of 5: why did the incident happen? Start from the immediate cause."},
		{"from the last answer", mk(1, "The cache expired."), "Why 2 of 5: why the cache expired?"},
		{"acronym kept", mk(2, "DNS timed out"), "Why 3 of 5: why DNS timed out?"},
		{"unanswered", mk(3, ""), "Why 4 of 5: answer the last why first, then ask why that happened."},
		{"control characters stripped", mk(1, "it\x1b[31m broke"), "Why 2 of 5: why it broke?"},
		{"five is enough", mk(5, "x"), ""},
		{"empty answer", mk(1, "  "), "Why 2 of 5: answer the last why first, then ask why that happened."},
		{"more than five", mk(6, "x"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextWhyPrompt(tt.r); got != tt.want {
				t.Errorf("NextWhyPrompt = %q; want %q", got, tt.want)
			}
		})
	}
}

func seqUID() func() string {
	n := 0
	return func() string { n++; return "a" + strconv.Itoa(n) }
}

func TestActions(t *testing.T) {
	r := Retro{}
	EnsureSections(&r, DefaultSections)
	uid := seqUID()
	due := retroNow.Add(48 * time.Hour)
	a1, err := AddAction(&r, Action{Title: " Add a pool limit alert ", Owner: "li", Due: due, Link: "https://tracker/1"}, "amara", retroNow, uid)
	if err != nil {
		t.Fatal(err)
	}
	if a1.UID != "a1" || a1.Kind != Immediate || a1.Title != "Add a pool limit alert" || a1.Author != "amara" {
		t.Errorf("first action = %+v", a1)
	}
	a2, err := AddAction(&r, Action{Title: "Load test in staging", Kind: LongTerm}, "li", retroNow, uid)
	if err != nil || a2.UID != "a2" {
		t.Fatalf("second action = %+v, %v", a2, err)
	}
	if _, err := AddAction(&r, Action{Title: ""}, "li", retroNow, uid); err == nil {
		t.Error("an action without a title was accepted")
	}
	if _, err := AddAction(&r, Action{Title: "x", Kind: "someday"}, "li", retroNow, uid); err == nil {
		t.Error("an unknown kind was accepted")
	}
	if _, err := AddAction(&r, Action{UID: "a1", Title: "x"}, "li", retroNow, uid); err == nil {
		t.Error("a duplicate uid was accepted")
	}

	done, err := ToggleAction(&r, "a2", "kim", retroNow)
	if err != nil || !done || !r.Action("a2").Done {
		t.Fatalf("ToggleAction = %v, %v", done, err)
	}
	if done, _ := ToggleAction(&r, "a2", "kim", retroNow); done {
		t.Error("second toggle did not reopen the action")
	}
	if err := EditAction(&r, "a1", Action{Title: "Alert on pool use", Kind: LongTerm, Owner: "kim"}, "kim", retroNow); err != nil {
		t.Fatal(err)
	}
	got := *r.Action("a1")
	if got.Title != "Alert on pool use" || got.Kind != LongTerm || got.Owner != "kim" || !got.Due.IsZero() || got.Link != "" || got.Author != "amara" || got.UID != "a1" {
		t.Errorf("edited action = %+v", got)
	}
	if err := EditAction(&r, "a1", Action{Title: " "}, "kim", retroNow); err == nil {
		t.Error("editing the title away was accepted")
	}
	if err := EditAction(&r, "nope", Action{Title: "x"}, "kim", retroNow); err == nil {
		t.Error("editing a missing action was accepted")
	}
	if err := DeleteAction(&r, "a1", "kim", retroNow); err != nil || len(r.Actions) != 1 || r.Actions[0].UID != "a2" {
		t.Fatalf("DeleteAction = %v; %+v", err, r.Actions)
	}
	if _, err := ToggleAction(&r, "a1", "kim", retroNow); err == nil {
		t.Error("toggling a deleted action was accepted")
	}
	if got := r.Section(SectionActions).Contributors; !slices.Equal(got, []string{"amara", "li", "kim"}) {
		t.Errorf("actions contributors = %q", got)
	}
	if !r.HasContent(SectionActions) || r.HasContent(SectionWhys) {
		t.Error("HasContent does not follow the actions and whys")
	}
}

func TestOverdueActionsAndFillUIDs(t *testing.T) {
	r := Retro{Actions: []Action{
		{Title: "late", Due: retroNow.Add(-time.Hour)},
		{Title: "late but done", Due: retroNow.Add(-time.Hour), Done: true},
		{Title: "on time", Due: retroNow.Add(time.Hour)},
		{Title: "no due date"},
	}}
	if got := r.OverdueActions(retroNow); len(got) != 1 || got[0].Title != "late" {
		t.Errorf("OverdueActions = %+v", got)
	}
	if r.OpenActions() != 3 {
		t.Errorf("OpenActions = %d; want 3", r.OpenActions())
	}
	if !FillActionUIDs(&r, seqUID()) || r.Actions[3].UID != "a4" {
		t.Errorf("FillActionUIDs did not fill: %+v", r.Actions)
	}
	if FillActionUIDs(&r, seqUID()) {
		t.Error("FillActionUIDs changed actions that had ids")
	}
}

func TestParseActionKind(t *testing.T) {
	tests := []struct {
		in   string
		want ActionKind
		ok   bool
	}{
		{"immediate", Immediate, true}, {" I ", Immediate, true}, {"now", Immediate, true},
		{"long-term", LongTerm, true}, {"Long term", LongTerm, true}, {"l", LongTerm, true},
		{"someday", "", false}, {"", "", false},
	}
	for _, tt := range tests {
		got, err := ParseActionKind(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseActionKind(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestParseDue(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"", time.Time{}, true},
		{"2026-03-10", time.Date(2026, 3, 10, 23, 59, 0, 0, time.UTC), true},
		{"2026-03-10 09:30", time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC), true},
		// Days and weeks are due by the end of the day, as a date is.
		{"+3d", time.Date(2026, 3, 7, 23, 59, 0, 0, time.UTC), true},
		{"2w", time.Date(2026, 3, 18, 23, 59, 0, 0, time.UTC), true},
		{"+1w", time.Date(2026, 3, 11, 23, 59, 0, 0, time.UTC), true},
		{"+4h", retroNow.Add(4 * time.Hour), true},
		{"17:30", time.Date(2026, 3, 4, 17, 30, 0, 0, time.UTC), true},
		{"2026-03-10T09:00:00Z", time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), true},
		{"soon", time.Time{}, false},
		{"+0d", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDue(tt.in, retroNow)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseDue(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestRetroStatus(t *testing.T) {
	r := Retro{}
	if changed, err := SetRetroStatus(&r, RetroDraft); err != nil || changed || r.Status != RetroDraft {
		t.Errorf("draft on a new retro = %v, %v, %q", changed, err, r.Status)
	}
	if changed, err := SetRetroStatus(&r, RetroFinal); err != nil || !changed || r.Status != RetroFinal {
		t.Errorf("final = %v, %v, %q", changed, err, r.Status)
	}
	if changed, _ := SetRetroStatus(&r, RetroDraft); !changed || r.Status != RetroDraft {
		t.Error("a final retro could not be reopened")
	}
	if _, err := SetRetroStatus(&r, "done"); err == nil {
		t.Error("an unknown status was accepted")
	}
	for in, want := range map[string]RetroStatus{"draft": RetroDraft, " FINAL": RetroFinal, "x": ""} {
		if got, _ := ParseRetroStatus(in); got != want {
			t.Errorf("ParseRetroStatus(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestRetroDue(t *testing.T) {
	resolved := time.Date(2026, 3, 4, 13, 0, 0, 0, time.UTC)
	custom := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		inc      Incident
		p        Policy
		now      time.Time
		want     time.Time
		known    bool
		overdue  bool
		overdueD time.Duration
	}{
		{"unresolved has no due time", Incident{}, DefaultPolicy(), retroNow, time.Time{}, false, false, 0},
		{"resolved + 2h by default", Incident{Milestones: map[Milestone]time.Time{MResolved: resolved}}, Policy{}, retroNow,
			resolved.Add(2 * time.Hour), true, true, time.Hour},
		{"retro_due_after from policy", Incident{Milestones: map[Milestone]time.Time{MResolved: resolved}}, Policy{RetroDueAfter: 4 * time.Hour}, retroNow,
			resolved.Add(4 * time.Hour), true, false, 0},
		{"explicit due wins", Incident{Milestones: map[Milestone]time.Time{MResolved: resolved}, Retro: Retro{Due: custom}}, DefaultPolicy(), retroNow,
			custom, true, false, 0},
		{"explicit due without resolution", Incident{Retro: Retro{Due: resolved}}, DefaultPolicy(), retroNow,
			resolved, true, true, 3 * time.Hour},
		{"final is never overdue", Incident{Milestones: map[Milestone]time.Time{MResolved: resolved}, Retro: Retro{Status: RetroFinal}}, DefaultPolicy(), retroNow,
			resolved.Add(2 * time.Hour), true, false, 0},
		{"exactly at due is not overdue", Incident{Milestones: map[Milestone]time.Time{MResolved: resolved}}, DefaultPolicy(), resolved.Add(2 * time.Hour),
			resolved.Add(2 * time.Hour), true, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, ok := RetroDue(&tt.inc, tt.p)
			if ok != tt.known || !due.Equal(tt.want) {
				t.Errorf("RetroDue = %v, %v; want %v, %v", due, ok, tt.want, tt.known)
			}
			d, over := RetroOverdue(&tt.inc, tt.p, tt.now)
			if over != tt.overdue || d != tt.overdueD {
				t.Errorf("RetroOverdue = %v, %v; want %v, %v", d, over, tt.overdueD, tt.overdue)
			}
		})
	}
}

func TestNextWhyQuestion(t *testing.T) {
	tests := []struct {
		whys []Why
		want string
	}{
		{nil, "Why did the incident happen?"},
		{[]Why{{Because: "The cache expired."}}, "Why the cache expired?"},
		{[]Why{{Because: "x"}, {Because: "TLS broke!"}}, "Why TLS broke?"},
		{[]Why{{Why: "why", Because: ""}}, ""},
		{[]Why{{}, {}, {}, {}, {}, {Because: "Nobody owns it"}}, "Why nobody owns it?"},
	}
	for _, tt := range tests {
		if got := NextWhyQuestion(&Retro{Whys: tt.whys}); got != tt.want {
			t.Errorf("NextWhyQuestion(%+v) = %q; want %q", tt.whys, got, tt.want)
		}
	}
}

func TestExpectWhy(t *testing.T) {
	r := &Retro{Whys: []Why{{Why: "a", Because: "b"}, {Why: "c", Because: "d"}}}
	if _, err := ExpectWhy(r, 1, Why{Why: "c", Because: "d"}); err != nil {
		t.Fatalf("the same step: %v", err)
	}
	// A step with a uid is found where it moved to.
	moved := &Retro{Whys: []Why{{UID: "w2", Why: "c"}, {UID: "w1", Why: "a"}}}
	if j, err := ExpectWhy(moved, 0, Why{UID: "w1", Why: "a"}); err != nil || j != 1 {
		t.Errorf("ExpectWhy by uid = %d, %v; want 1", j, err)
	}
	for _, tt := range []struct {
		i    int
		seen Why
	}{{0, Why{Why: "c", Because: "d"}}, {1, Why{Why: "c", Because: "x"}}, {2, Why{Why: "c", Because: "d"}}, {-1, Why{}}} {
		if _, err := ExpectWhy(r, tt.i, tt.seen); err != ErrWhysChanged {
			t.Errorf("ExpectWhy(%d, %+v) = %v, want ErrWhysChanged", tt.i, tt.seen, err)
		}
	}
}

// Two people edit one why and one action at once, each from the copy they
// opened: fields only one changed apply, a field both changed keeps both
// versions, and a deleted step or action keeps what was typed.
func TestEditWhyAndActionFromStaleCopies(t *testing.T) {
	now := testNow
	r := &Retro{Whys: []Why{{UID: "w1", Why: "Why did checkout fail?", Because: "The pool ran dry."}}}
	base := r.Whys[0]
	// Ben answered differently meanwhile.
	r.Whys[0].Because = "Retries held every connection."
	note, err := EditWhyFrom(r, 0, base, "Why did card payments fail?", "The pool ran dry because of retries.", "amara", now)
	if err != nil {
		t.Fatal(err)
	}
	w := r.Whys[0]
	if w.Why != "Why did card payments fail?" || !strings.Contains(w.Because, "Retries held every connection.") || !strings.Contains(w.Because, "because of retries") || note == "" {
		t.Errorf("merged why = %+v, note %q", w, note)
	}
	r.Whys = nil
	if note, _ := EditWhyFrom(r, 0, base, "Why?", "Because.", "amara", now); len(r.Whys) != 1 || note == "" {
		t.Errorf("an edit of a deleted why was dropped: %+v %q", r.Whys, note)
	}

	uid := func() string { return "new" }
	r = &Retro{Actions: []Action{{UID: "a1", Title: "Alert on the pool", Kind: Immediate, Owner: "dana"}}}
	abase := r.Actions[0]
	r.Actions[0].Owner = "chen" // Ben reassigned it meanwhile
	mine := abase
	mine.Title = "Alert on the pool above 80%"
	if _, err := EditActionFrom(r, "a1", abase, mine, "amara", now, uid); err != nil {
		t.Fatal(err)
	}
	if a := r.Actions[0]; a.Title != "Alert on the pool above 80%" || a.Owner != "chen" {
		t.Errorf("merged action = %+v; want amara's title and ben's owner", a)
	}
	r.Actions = nil
	if note, _ := EditActionFrom(r, "a1", abase, mine, "amara", now, uid); len(r.Actions) != 1 || note == "" {
		t.Errorf("an edit of a deleted action was dropped: %+v %q", r.Actions, note)
	}
}

// Each person writes only their own perspective; two never overwrite each
// other, and an empty one is removed.
func TestPerspectivesAreEachPersonsOwn(t *testing.T) {
	r := &Retro{}
	EnsureSections(r, DefaultSections)
	if _, err := SetPerspective(r, "Introduction", "amara", "I saw the pool fill first.", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := SetPerspective(r, "Introduction", "ben", "Support heard about it at 12:20.", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := SetPerspective(r, "Introduction", "amara", "I saw the pool fill first, at 12:18.", testNow); err != nil {
		t.Fatal(err)
	}
	s := r.Section("Introduction")
	if len(s.Perspectives) != 2 || r.PerspectiveOf("Introduction", "ben") != "Support heard about it at 12:20." ||
		r.PerspectiveOf("Introduction", "amara") != "I saw the pool fill first, at 12:18." {
		t.Fatalf("perspectives %+v", s.Perspectives)
	}
	if len(s.Contributors) != 2 {
		t.Errorf("contributors %v, want both writers", s.Contributors)
	}
	if _, err := SetPerspective(r, "Introduction", "ben", "  ", testNow); err != nil || len(r.Section("Introduction").Perspectives) != 1 {
		t.Fatalf("an empty perspective was kept: %+v %v", r.Section("Introduction").Perspectives, err)
	}
}
