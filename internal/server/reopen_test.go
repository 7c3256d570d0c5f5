package server

import (
	"strconv"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// A session records the incident it opens as the room's; after a restart
// the room opens that incident again, not a newer one a sync brought in,
// until it is resolved.
func TestRestartedRoomReopensItsIncident(t *testing.T) {
	amara := newKey(t, "amara@laptop")
	wr := startWarRoomFiles(t, keyLines([]keypair{amara}), "", nil)
	s := mustDial(t, wr.addr, amara)
	s.waitFor("Checkout failing")
	deadline := time.Now().Add(5 * time.Second)
	for {
		v, _ := wr.st.UserPref(roomPrefUser, roomPref)
		if v == strconv.FormatInt(wr.id, 10) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the room's incident was recorded as %q, want %d", v, wr.id)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// A sync brings in a newer open incident.
	inc, _ := incident.NewIncident("Search is slow", 3, time.Now(), incident.DefaultPolicy())
	newer, err := wr.st.CreateIncident(inc, "sync")
	if err != nil {
		t.Fatal(err)
	}
	if latest, _ := wr.st.LatestOpen(); latest != newer.ID {
		t.Fatalf("the newer incident %d is not the latest open (%d)", newer.ID, latest)
	}
	// A restarted server on the same database: its Options, no memory.
	restarted := &Server{opts: Options{Store: wr.st}}
	if id, err := restarted.roomIncident(); err != nil || id != wr.id {
		t.Fatalf("the restarted room opens %d (%v), want its incident %d", id, err, wr.id)
	}
	// Once the room's incident is resolved, the newest open one.
	c, _ := incident.ParseCapture("/status resolved", time.Now())
	if _, err := wr.st.Apply(wr.id, c, time.Now(), "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	if id, err := restarted.roomIncident(); err != nil || id != newer.ID {
		t.Fatalf("with its incident resolved the room opens %d (%v), want %d", id, err, newer.ID)
	}
}
