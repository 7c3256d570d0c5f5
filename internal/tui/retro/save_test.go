package retro

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

var pinned = time.Date(2026, 3, 12, 13, 45, 0, 0, time.UTC)

func pinnedNow() time.Time { return pinned }

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "warroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// declare stores an incident and returns its id.
func declare(t *testing.T, st *store.Store) int64 {
	t.Helper()
	inc, err := incident.NewIncident("Checkout failing", 2, pinned.Add(-time.Hour), incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	out, err := st.CreateIncident(inc, "amara")
	if err != nil {
		t.Fatal(err)
	}
	return out.ID
}

func retroOf(t *testing.T, st *store.Store, id int64) incident.Retro {
	t.Helper()
	inc, err := st.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	return inc.Retro
}

func TestTextSaverLastTextWins(t *testing.T) {
	st := openStore(t)
	id := declare(t, st)
	ctx := &common.Context{Store: st, IncidentID: id, Author: "amara", Now: pinnedNow, Config: config.Default()}
	s := &TextSaver{}
	s.Set("Introduction", "first")
	older := s.SaveCmd(ctx)
	s.Set("Introduction", "second")
	newer := s.SaveCmd(ctx)
	// Saves run in the order they were queued, each on the copy the one
	// before left: the last text wins, and this program's own saves never
	// count as a teammate's edit to merge with.
	newer()
	older()
	r := retroOf(t, st, id)
	if got := r.Section("Introduction").Text; got != "second" {
		t.Fatalf("introduction = %q; want the last text", got)
	}
	if s.SaveCmd(ctx) != nil {
		t.Error("a save with nothing pending is not nil")
	}
	for i := range 20 {
		s.Set("Introduction", strings.Repeat("x", i+1))
		if c := s.SaveCmd(ctx); c != nil {
			go c()
		}
	}
	ctx.WaitWrites()
	r = retroOf(t, st, id)
	if got := r.Section("Introduction").Text; got != strings.Repeat("x", 20) {
		t.Fatalf("after a burst of saves, introduction = %q", got)
	}
}

// Two cockpits on one database type into one section at once: each saves
// on its own copy, and both people's words are kept.
func TestTextSaverTwoPeopleKeepBothWords(t *testing.T) {
	st := openStore(t)
	id := declare(t, st)
	amara := &common.Context{Store: st, IncidentID: id, Author: "amara", Now: pinnedNow, Config: config.Default()}
	ben := &common.Context{Store: st, IncidentID: id, Author: "ben", Now: pinnedNow, Config: config.Default()}
	sa, sb := &TextSaver{}, &TextSaver{}
	sa.Set("Introduction", "Checkout failed for card payments.")
	sa.SaveCmd(amara)()
	// Ben started from the empty section and never saw Amara's line.
	sb.Set("Introduction", "Wallets kept working.")
	msg := sb.SaveCmd(ben)()
	saved, ok := msg.(SavedMsg)
	if !ok {
		t.Fatalf("ben's save gave %#v", msg)
	}
	sv := saved.Saves["Introduction"]
	if !sv.Merged.Merged || sv.Merged.By != "amara" {
		t.Errorf("ben's save = %+v; want it merged with amara's edit and her named", sv.Merged)
	}
	r := retroOf(t, st, id)
	got := r.Section("Introduction").Text
	for _, want := range []string{"Checkout failed for card payments.", "Wallets kept working."} {
		if !strings.Contains(got, want) {
			t.Errorf("introduction %q lost %q", got, want)
		}
	}
	// Amara goes on typing on her copy: a line added at the end merges
	// with Ben's words instead of replacing them.
	sa.Set("Introduction", "Checkout failed for card payments.\nThe pool ran dry.")
	sa.SaveCmd(amara)()
	r = retroOf(t, st, id)
	got = r.Section("Introduction").Text
	for _, want := range []string{"Checkout failed for card payments.", "Wallets kept working.", "The pool ran dry."} {
		if !strings.Contains(got, want) {
			t.Errorf("after amara's second save, introduction %q lost %q", got, want)
		}
	}
}
