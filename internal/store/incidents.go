package store

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// CreateIncident stores a new incident, assigning its id and uid, and logs
// the declaration on its timeline. It returns the stored incident.
func (s *Store) CreateIncident(inc *incident.Incident, author string) (*incident.Incident, error) {
	out := *inc
	err := s.update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketIncidents)
		seq, err := root.NextSequence()
		if err != nil {
			return err
		}
		out.ID = int64(seq)
		if out.UID == "" {
			out.UID = newUID()
		}
		b, err := root.CreateBucket(idKey(out.ID))
		if err != nil {
			return err
		}
		for _, name := range [][]byte{bucketEntries, bucketEntryIDs, bucketUpdates, bucketUI} {
			if _, err := b.CreateBucket(name); err != nil {
				return err
			}
		}
		if err := putHead(b, &out); err != nil {
			return err
		}
		if err := putJSON(b, keyRetro, out.Retro); err != nil {
			return err
		}
		text := fmt.Sprintf("Incident declared: %s (%s)", out.Title, out.Severity)
		e := incident.Entry{At: out.Created, RecordedAt: out.Created, Author: author, Kind: incident.KindSystem, Text: text}
		for _, r := range out.RoleNames() {
			e.Text += fmt.Sprintf("; %s: %s", r, out.Roles[r])
		}
		_, err = appendEntry(b, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// putHead writes the incident's own fields; entries, updates and retro live
// in their own keys.
func putHead(b *bolt.Bucket, inc *incident.Incident) error {
	head := *inc
	head.Entries, head.Updates, head.Retro = nil, nil, incident.Retro{}
	return putJSON(b, keyHead, &head)
}

func readHead(b *bolt.Bucket) (*incident.Incident, error) {
	inc := &incident.Incident{}
	if err := getJSON(b, keyHead, inc); err != nil {
		return nil, err
	}
	return inc, nil
}

// Summary is an incident's own fields with counts, for lists.
type Summary struct {
	*incident.Incident
	EntryCount int
}

// ListIncidents returns every incident's own fields (no entries), newest
// first.
func (s *Store) ListIncidents() ([]Summary, error) {
	var out []Summary
	err := s.view(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketIncidents)
		if root == nil {
			return nil
		}
		c := root.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			if v != nil {
				continue
			}
			b := root.Bucket(k)
			inc, err := readHeadAndRetro(b)
			if err != nil {
				return err
			}
			n := entryCount(b)
			out = append(out, Summary{Incident: inc, EntryCount: n})
		}
		return nil
	})
	return out, err
}

// Incident loads one incident with its whole timeline, updates and retro.
// Deleted entries are included (flagged) so callers can show the record.
func (s *Store) Incident(id int64) (*incident.Incident, error) {
	return s.loadIncident(id, -1)
}

// IncidentTail loads one incident with only its last n timeline entries, so
// the cockpit can draw a huge incident's first frame at once. Total is the
// number of entries stored.
func (s *Store) IncidentTail(id int64, n int) (inc *incident.Incident, total int, err error) {
	inc, err = s.loadIncidentCount(id, n, &total)
	return inc, total, err
}

func (s *Store) loadIncident(id int64, tail int) (*incident.Incident, error) {
	var total int
	return s.loadIncidentCount(id, tail, &total)
}

func (s *Store) loadIncidentCount(id int64, tail int, total *int) (*incident.Incident, error) {
	var inc *incident.Incident
	err := s.view(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		inc, *total, err = readIncident(b, tail)
		return err
	})
	return inc, err
}

// readHeadAndRetro reads an incident's own fields and its retro.
func readHeadAndRetro(b *bolt.Bucket) (*incident.Incident, error) {
	inc, err := readHead(b)
	if err != nil {
		return nil, err
	}
	return inc, getJSON(b, keyRetro, &inc.Retro)
}

// entryCount is the number of entries stored. Every entry takes its id from
// the bucket's sequence and none is ever removed (deletion is a flag), so
// the sequence is the count: O(1), where Stats would walk every page of a
// huge timeline.
func entryCount(b *bolt.Bucket) int {
	if eb := b.Bucket(bucketEntries); eb != nil {
		return int(eb.Sequence())
	}
	return 0
}

// readIncident reads a whole incident from its bucket, with all entries or
// only the last tail of them, and the number stored.
func readIncident(b *bolt.Bucket, tail int) (*incident.Incident, int, error) {
	inc, err := readHeadAndRetro(b)
	if err != nil {
		return nil, 0, err
	}
	if inc.Entries, err = readEntries(b.Bucket(bucketEntries), tail); err != nil {
		return nil, 0, err
	}
	inc.Updates, err = readUpdates(b.Bucket(bucketUpdates))
	return inc, entryCount(b), err
}

// readEntries reads all entries in time order, or only the last tail of them.
func readEntries(eb *bolt.Bucket, tail int) ([]incident.Entry, error) {
	c := eb.Cursor()
	var out []incident.Entry
	if tail < 0 {
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var e incident.Entry
			if err := decodeEntry(v, &e); err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	}
	out = make([]incident.Entry, 0, tail)
	for k, v := c.Last(); k != nil && len(out) < tail; k, v = c.Prev() {
		var e incident.Entry
		if err := decodeEntry(v, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	slices.Reverse(out)
	return out, nil
}

func decodeEntry(v []byte, e *incident.Entry) error {
	if err := jsonUnmarshal(v, e); err != nil {
		return fmt.Errorf("a timeline entry is damaged (%v); run warroom check: %w", err, ErrCorrupt)
	}
	return nil
}

func readUpdates(ub *bolt.Bucket) ([]incident.Update, error) {
	var out []incident.Update
	err := ub.ForEach(func(_, v []byte) error {
		var u incident.Update
		if err := jsonUnmarshal(v, &u); err != nil {
			return fmt.Errorf("a public update is damaged (%v); run warroom check: %w", err, ErrCorrupt)
		}
		out = append(out, u)
		return nil
	})
	return out, err
}

// appendEntry stores e under a new id and returns it as stored.
func appendEntry(b *bolt.Bucket, e incident.Entry) (incident.Entry, error) {
	eb := b.Bucket(bucketEntries)
	seq, err := eb.NextSequence()
	if err != nil {
		return e, err
	}
	e.ID = int64(seq)
	if e.UID == "" {
		e.UID = newUID()
	}
	key := entryKey(e.At, e.ID)
	if err := putJSON(eb, key, &e); err != nil {
		return e, err
	}
	return e, b.Bucket(bucketEntryIDs).Put(idKey(e.ID), key)
}

// AppendEntry adds one entry to an incident's timeline. When it returns
// without error the entry is on disk.
func (s *Store) AppendEntry(id int64, e incident.Entry) (incident.Entry, error) {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		e, err = appendEntry(b, e)
		return err
	})
	return e, err
}

// Apply parses nothing: it applies an already parsed capture line to the
// incident in one transaction (fields, timeline entries, public update), so
// the change and its record land together or not at all.
func (s *Store) Apply(id int64, c incident.Capture, now time.Time, author string, p incident.Policy) (incident.Result, error) {
	var res incident.Result
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		inc, err := readHead(b)
		if err != nil {
			return err
		}
		if c.Command == incident.CmdSnooze {
			if inc.Updates, err = readUpdates(b.Bucket(bucketUpdates)); err != nil {
				return err
			}
		}
		res, err = incident.Apply(inc, c, now, author, p)
		if err != nil {
			return err
		}
		if res.Header {
			inc.Updates = nil
			if err := putHead(b, inc); err != nil {
				return err
			}
		}
		if res.Update != nil {
			ub := b.Bucket(bucketUpdates)
			seq, err := ub.NextSequence()
			if err != nil {
				return err
			}
			res.Update.ID = int64(seq)
			res.Update.UID = newUID()
			if err := putJSON(ub, idKey(res.Update.ID), res.Update); err != nil {
				return err
			}
		}
		for i, e := range res.Entries {
			if res.Entries[i], err = appendEntry(b, e); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

// EditEntry changes one entry through fn (text, time, star). Changing the
// time moves the entry to keep the timeline in order.
func (s *Store) EditEntry(id, entryID int64, now time.Time, fn func(e *incident.Entry) error) (incident.Entry, error) {
	var out incident.Entry
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		eb, ib := b.Bucket(bucketEntries), b.Bucket(bucketEntryIDs)
		oldKey := ib.Get(idKey(entryID))
		if oldKey == nil {
			return fmt.Errorf("entry %d of INC-%d does not exist: %w", entryID, id, ErrNotFound)
		}
		oldKey = bytes.Clone(oldKey)
		var e incident.Entry
		if err := decodeEntry(eb.Get(oldKey), &e); err != nil {
			return err
		}
		if err := fn(&e); err != nil {
			return err
		}
		e.EditedAt = now
		newKey := entryKey(e.At, e.ID)
		if !bytes.Equal(oldKey, newKey) {
			if err := eb.Delete(oldKey); err != nil {
				return err
			}
			if err := ib.Put(idKey(e.ID), newKey); err != nil {
				return err
			}
		}
		out = e
		return putJSON(eb, newKey, &e)
	})
	return out, err
}

// DeleteEntry marks an entry deleted and records the deletion on the
// timeline, so nothing disappears silently.
func (s *Store) DeleteEntry(id, entryID int64, now time.Time, author string) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		eb, ib := b.Bucket(bucketEntries), b.Bucket(bucketEntryIDs)
		key := ib.Get(idKey(entryID))
		if key == nil {
			return fmt.Errorf("entry %d of INC-%d does not exist: %w", entryID, id, ErrNotFound)
		}
		key = bytes.Clone(key)
		var e incident.Entry
		if err := decodeEntry(eb.Get(key), &e); err != nil {
			return err
		}
		if e.Deleted {
			return nil
		}
		e.Deleted = true
		e.EditedAt = now
		if err := putJSON(eb, key, &e); err != nil {
			return err
		}
		text := fmt.Sprintf("Deleted entry from %s: %s", e.At.Format("15:04"), e.Text)
		_, err = appendEntry(b, incident.Entry{At: now, RecordedAt: now, Author: author, Kind: incident.KindSystem, Text: text})
		return err
	})
}

// UpdateHead changes an incident's own fields through fn in one
// transaction. fn must not touch entries, updates or retro.
func (s *Store) UpdateHead(id int64, now time.Time, fn func(inc *incident.Incident) error) (*incident.Incident, error) {
	var out *incident.Incident
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		inc, err := readHead(b)
		if err != nil {
			return err
		}
		if err := fn(inc); err != nil {
			return err
		}
		inc.Updated = now
		out = inc
		return putHead(b, inc)
	})
	return out, err
}

// SetDraft saves the public update draft as it is typed.
func (s *Store) SetDraft(id int64, text string) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		inc, err := readHead(b)
		if err != nil {
			return err
		}
		if inc.Draft == text {
			return errNoChanges
		}
		inc.Draft = text
		return putHead(b, inc)
	})
}

// UpdateRetro changes the retro through fn in one transaction.
func (s *Store) UpdateRetro(id int64, fn func(r *incident.Retro) error) (incident.Retro, error) {
	var out incident.Retro
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		var r incident.Retro
		if err := getJSON(b, keyRetro, &r); err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
		out = r
		return putJSON(b, keyRetro, &r)
	})
	return out, err
}

// SetDelivery records the delivery state of one public update.
func (s *Store) SetDelivery(id, updateID int64, d []incident.Delivery) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		ub := b.Bucket(bucketUpdates)
		var u incident.Update
		data := ub.Get(idKey(updateID))
		if data == nil {
			return fmt.Errorf("update %d of INC-%d does not exist: %w", updateID, id, ErrNotFound)
		}
		if err := jsonUnmarshal(data, &u); err != nil {
			return fmt.Errorf("a public update is damaged (%v): %w", err, ErrCorrupt)
		}
		u.Delivery = d
		return putJSON(ub, idKey(updateID), &u)
	})
}

// SetUIState keeps a small piece of per-user state for an incident, such as
// a half-typed capture line, so it survives quitting.
func (s *Store) SetUIState(id int64, name, value string) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		ui := b.Bucket(bucketUI)
		if bytes.Equal(ui.Get([]byte(name)), []byte(value)) {
			return errNoChanges
		}
		if value == "" {
			return ui.Delete([]byte(name))
		}
		return ui.Put([]byte(name), []byte(value))
	})
}

// UIState returns what SetUIState kept, or "".
func (s *Store) UIState(id int64, name string) (string, error) {
	var out string
	err := s.view(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		out = string(b.Bucket(bucketUI).Get([]byte(name)))
		return nil
	})
	return out, err
}
