package store

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

func TestIdempotencyKeys(t *testing.T) {
	s := openTemp(t)
	declare(t, s, "one")
	declare(t, s, "two")
	p := incident.DefaultPolicy()
	now := t0.Add(time.Minute)

	// No key, no keys bucket.
	if _, err := s.AppendEntry(1, incident.Entry{At: now, Kind: incident.KindNote, Text: "plain"}); err != nil {
		t.Fatal(err)
	}
	_ = s.view(func(tx *bolt.Tx) error {
		if b, _ := incidentBucket(tx, 1); b.Bucket(bucketKeys) != nil {
			t.Error("the keys bucket exists before any key was given")
		}
		return nil
	})

	note := incident.Capture{Kind: incident.KindNote, Text: "rolled back deploy 4711", Key: "job-17"}
	first, err := s.Apply(1, note, now, "ci", p)
	if err != nil || first.Repeated || len(first.Entries) != 1 || first.Entries[0].Key != "job-17" {
		t.Fatalf("first keyed apply: %+v %v", first, err)
	}
	before, _ := s.Incident(1)
	again, err := s.Apply(1, note, now.Add(time.Minute), "ci", p)
	if err != nil || !again.Repeated || again.Tx != 0 || len(again.Entries) != 1 || again.Entries[0].ID != first.Entries[0].ID {
		t.Fatalf("retried apply: %+v %v", again, err)
	}
	after, _ := s.Incident(1)
	if len(after.Entries) != len(before.Entries) {
		t.Fatalf("the retry added entries: %d -> %d", len(before.Entries), len(after.Entries))
	}

	// A command that would now be refused ("already identified") is a
	// repeat, not an error.
	status := incident.Capture{Command: incident.CmdStatus, Status: incident.Identified, Key: "job-18"}
	if _, err := s.Apply(1, status, now, "ci", p); err != nil {
		t.Fatal(err)
	}
	if res, err := s.Apply(1, status, now, "ci", p); err != nil || !res.Repeated || res.Entries[0].Kind != incident.KindStatus {
		t.Fatalf("retried /status: %+v %v", res, err)
	}

	// Keys are per incident.
	if res, err := s.Apply(2, note, now, "ci", p); err != nil || res.Repeated {
		t.Fatalf("the same key in another incident: %+v %v", res, err)
	}

	// AppendEntry honours keys too.
	e1, err := s.AppendEntry(1, incident.Entry{At: now, Kind: incident.KindNote, Text: "x", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	e2, err := s.AppendEntry(1, incident.Entry{At: now, Kind: incident.KindNote, Text: "x", Key: "k"})
	if err != nil || e2.ID != e1.ID {
		t.Fatalf("retried AppendEntry: #%d then #%d, %v", e1.ID, e2.ID, err)
	}

	// Setting a milestone again moves its entry; the key then stops a
	// retry from moving it again.
	if _, err := s.Apply(1, incident.Capture{Command: incident.CmdMilestone, Milestone: incident.Mitigated, Time: now}, now, "ci", p); err != nil {
		t.Fatal(err)
	}
	move := incident.Capture{Command: incident.CmdMilestone, Milestone: incident.Mitigated, Time: now.Add(2 * time.Minute), Key: "job-19"}
	if res, err := s.Apply(1, move, now.Add(3*time.Minute), "ci", p); err != nil || len(res.Moves) != 1 {
		t.Fatalf("moving the milestone: %+v %v", res, err)
	}
	move.Time = now.Add(time.Minute)
	if res, err := s.Apply(1, move, now.Add(4*time.Minute), "ci", p); err != nil || !res.Repeated {
		t.Fatalf("retried move: %+v %v", res, err)
	}
	inc, _ := s.Incident(1)
	if got := inc.Milestones[incident.Mitigated]; !got.Equal(now.Add(2 * time.Minute)) {
		t.Fatalf("the retry moved the milestone to %v", got)
	}

	if _, err := s.Apply(1, incident.Capture{Kind: incident.KindNote, Text: "x", Key: string(make([]byte, incident.MaxKeyBytes+1))}, now, "ci", p); err == nil {
		t.Fatal("a key over the limit was taken")
	}
	if rep, err := s.Check(); err != nil || !rep.OK() {
		t.Fatalf("check: %v %v", err, rep.Problems)
	}
}
