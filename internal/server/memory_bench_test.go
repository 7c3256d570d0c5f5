package server

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// BenchmarkRoomMemory is the heap each teammate's session of `warroom
// serve` adds on a 100,000-entry incident: one session connects and shows
// the whole timeline, then four more, then every session logs a line and
// every screen shows all five. Reported: heap-MB with one session,
// MB/session for each session after the first (the #22 goal: ≤ 10 MB), and
// MB/session-after-lines once every session has applied the others'
// changes. shared=false is each session keeping its own copy, as before
// tui.Timelines, measured in the same run. Run with
//
//	go test ./internal/server/ -run '^$' -bench RoomMemory -benchtime 1x
func BenchmarkRoomMemory(b *testing.B) {
	for _, shared := range []bool{false, true} {
		b.Run(fmt.Sprintf("shared=%v", shared), func(b *testing.B) { benchRoomMemory(b, shared) })
	}
}

func benchRoomMemory(b *testing.B, shared bool) {
	const entries, extra = 100000, 4
	keys := make([]keypair, 1+extra)
	for i := range keys {
		keys[i] = newKey(b, fmt.Sprintf("mate%d@laptop", i))
	}
	wr := startWarRoomFiles(b, keyLines(keys), "", func(s *Server) {
		if !shared {
			s.timelines = nil
		}
		id := seedHuge(b, s.opts.Store, entries)
		if _, err := s.opts.Store.SetUserPref(roomPrefUser, roomPref, strconv.FormatInt(id, 10)); err != nil {
			b.Fatal(err)
		}
	})
	loaded := strconv.Itoa(entries+1) + " entries"
	open := func(i int) *session {
		s, err := dialWith(b, wr.addr, fmt.Sprintf("mate%d", i), keys[i], nil, 40)
		if err != nil {
			b.Fatal(err)
		}
		waitLong(b, s, loaded)
		return s
	}
	// Twice: what the import left for finalizers goes in the second.
	heapInUse()
	base := heapInUse()
	sessions := []*session{open(0)}
	one := heapInUse()
	for i := 1; i <= extra; i++ {
		sessions = append(sessions, open(i))
	}
	all := heapInUse()
	for i, s := range sessions {
		if _, err := s.in.Write([]byte(fmt.Sprintf("memline %d\r", i))); err != nil {
			b.Fatal(err)
		}
	}
	var lines []string
	for i := range sessions {
		lines = append(lines, fmt.Sprintf("memline %d", i))
	}
	for _, s := range sessions {
		waitLong(b, s, lines...)
	}
	after := heapInUse()
	for b.Loop() {
	}
	mb := func(n int64) float64 { return float64(n) / (1 << 20) }
	b.ReportMetric(mb(one-base), "heap-MB")
	b.ReportMetric(mb(all-one)/extra, "MB/session")
	b.ReportMetric(mb(after-one)/extra, "MB/session-after-lines")
	b.ReportMetric(0, "ns/op")
}

// seedHuge imports an incident of n entries for the room to open.
func seedHuge(b *testing.B, st *store.Store, n int) int64 {
	b.Helper()
	now := time.Now()
	inc, err := incident.NewIncident("Checkout failing at scale", 2, now.Add(-time.Duration(n+1)*time.Second), incident.DefaultPolicy())
	if err != nil {
		b.Fatal(err)
	}
	kinds := []incident.Kind{incident.KindNote, incident.KindAction, incident.KindDecision, incident.KindQuestion}
	for i := range n {
		at := now.Add(-time.Duration(n-i) * time.Second)
		inc.Entries = append(inc.Entries, incident.Entry{
			At: at, RecordedAt: at, Author: "dmitri", Kind: kinds[i%len(kinds)],
			Text: fmt.Sprintf("entry %d: checked the payment gateway logs and the pool metrics", i),
		})
	}
	res, err := st.ImportIncident(inc)
	if err != nil {
		b.Fatal(err)
	}
	return res.ID
}

// waitLong waits for texts on a session's screen, for as long as a huge
// incident takes to load.
func waitLong(b *testing.B, s *session, texts ...string) {
	b.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for _, text := range texts {
		for !s.contains(text) {
			if time.Now().After(deadline) {
				b.Fatalf("a session never showed %q", text)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// What the session was sent is kept by the test's client: drop it,
	// so that the heap measured is the server's.
	s.mu.Lock()
	s.out.Reset()
	s.mu.Unlock()
}
