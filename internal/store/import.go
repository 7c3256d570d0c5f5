package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// ImportResult says what ImportIncident did.
type ImportResult struct {
	ID      int64 // the incident's local id
	Created bool  // a new incident was created rather than merged
	// Counts of what was added or changed; all zero when the import
	// brought nothing new.
	EntriesAdded, EntriesUpdated int
	UpdatesAdded                 int
	// ChangesAdded counts the other operations brought in (drafts,
	// deliveries, change records).
	ChangesAdded              int
	HeadChanged, RetroChanged bool
	// Brought says in a few words what the import brought and from whom
	// (incident.DescribeOps), for sync's output and commit message.
	Brought string
}

// Changed reports whether the import changed anything.
func (r ImportResult) Changed() bool {
	return r.Created || r.EntriesAdded > 0 || r.EntriesUpdated > 0 || r.UpdatesAdded > 0 || r.ChangesAdded > 0 || r.HeadChanged || r.RetroChanged
}

// ImportIncident brings an incident from elsewhere (an export, a teammate's
// copy, a sync, the demo) into the database in one transaction.
//
// The incident is matched by uid and merged as the union of operations:
// those this database lacks are added and the incident is folded again.
// Nothing is decided by comparing whole records or clocks, so importing in
// any order, any number of times, gives the same incident. A copy made
// before operations existed (no ops) is described as operations first
// (incident.LegacyOps), the same way on every machine. An operation that
// does not check out (incident.CheckOp), or an id that names two different
// operations, refuses the whole import with a sentence.
func (s *Store) ImportIncident(in *incident.Incident) (ImportResult, error) {
	var res ImportResult
	if !incident.ValidUID(in.UID) && in.UID != "" {
		return res, fmt.Errorf("the incident to import has the uid %q, which is not a uid (letters, digits, - and _); it was edited by hand or is damaged, so nothing was imported", in.UID)
	}
	ops := in.Ops
	legacy := len(ops) == 0
	if len(ops) > 0 && in.Title != "" {
		// The document's own fields are informational beside its
		// operations, but a file that breaks the limits of typing is
		// refused all the same: it was made by hand.
		if err := incident.CheckRecord(in); err != nil {
			return res, err
		}
	}
	if len(ops) == 0 {
		if strings.TrimSpace(in.Title) == "" {
			return res, errors.New("the incident to import has no title; it is not a complete warroom incident")
		}
		if !in.Severity.Valid() {
			return res, fmt.Errorf("the incident to import has severity %d; it must be 1 to 4", int(in.Severity))
		}
		// What is imported is held to the limits of typing it, so a file
		// cannot bring in what the cockpit and warroom log refuse.
		if err := incident.CheckRecord(in); err != nil {
			return res, err
		}
		seen := map[string]bool{}
		for _, e := range in.Entries {
			if e.UID != "" && seen[e.UID] {
				return res, fmt.Errorf("the file to import has two timeline entries with uid %s; it was edited by hand or is damaged, so nothing was imported", e.UID)
			}
			seen[e.UID] = e.UID != ""
		}
		c := cloneForImport(in)
		if c.UID == "" {
			c.UID = NewUID()
		}
		for i := range c.Entries {
			if c.Entries[i].UID == "" {
				c.Entries[i].UID = NewUID()
			}
		}
		for i := range c.Updates {
			if c.Updates[i].UID == "" {
				c.Updates[i].UID = NewUID()
			}
		}
		if !hasDeclaration(c.Entries) {
			incident.Backfill(c, "warroom")
			for i := range c.Entries {
				if c.Entries[i].UID == "" {
					c.Entries[i].UID = NewUID()
				}
			}
		}
		in = c
		ops = incident.LegacyOps(c)
	}
	uid := in.UID
	if uid == "" {
		uid = createdUID(ops)
	}
	if !incident.ValidUID(uid) {
		return res, errors.New("the record to import names no incident uid; it is not a complete warroom record")
	}
	now := time.Now()
	for _, o := range ops {
		if err := incident.CheckOp(o, now); err != nil {
			return res, fmt.Errorf("%v; nothing of that incident was brought in", err)
		}
	}
	err := s.update(func(tx *bolt.Tx) error {
		res = ImportResult{}
		root := tx.Bucket(bucketIncidents)
		b, id, err := findByUIDIndexed(tx, uid)
		if err != nil {
			return err
		}
		res.ID = id
		if b == nil {
			if !hasCreate(ops) {
				return fmt.Errorf("the record of incident %s does not hold its creation; nothing of it was brought in", uid)
			}
			res.Created = true
			if b, res.ID, err = createEmpty(root, uid, in); err != nil {
				return err
			}
			if err := indexUID(tx, uid, res.ID); err != nil {
				return err
			}
		}
		if legacy && !res.Created {
			// A copy from before operations cannot say what was edited
			// or deleted since it was made: it only brings what this
			// incident has never seen, so a stale export never brings
			// back a deleted action or the old wording of a why.
			if ops, err = onlyUnseen(b, ops); err != nil {
				return err
			}
		}
		added, fresh, err := unionOps(b, ops, now)
		if err != nil {
			return err
		}
		if len(added) == 0 && !res.Created {
			return errNoChanges
		}
		for _, o := range added {
			switch o.Type {
			case incident.OpEntryAdd:
				res.EntriesAdded++
			case incident.OpEntrySet, incident.OpEntryDelete, incident.OpEntryRestore, incident.OpEntryRedact:
				res.EntriesUpdated++
			case incident.OpPublish:
				res.UpdatesAdded++
			case incident.OpSection, incident.OpPerspective, incident.OpItemAdd, incident.OpItemSet, incident.OpItemDelete, incident.OpItemMove, incident.OpRetroStatus, incident.OpRetroDue:
				res.RetroChanged = true
			default:
				res.ChangesAdded++
			}
		}
		res.Brought = incident.DescribeOps(added)
		before, _ := readHead(b)
		if err := refoldStreams(b, added, latest(added), true, fresh); err != nil {
			return err
		}
		after, err := readHead(b)
		if err != nil {
			return err
		}
		if before != nil {
			ok, _ := incident.FoldedEqual(before, after)
			res.HeadChanged = !ok
		}
		if res.Created {
			if err := readBackIncidents(tx, root, idKey(res.ID)); err != nil {
				return s.unreadable(res.ID, err)
			}
		}
		// An import writes all over the incident, so it is read back
		// whole (see readBack), at about the cost of the import itself.
		if _, err := readIncident(tx, b); err != nil {
			return s.unreadable(res.ID, err)
		}
		return nil
	})
	return res, err
}

// IncidentByUID finds the local id of the incident with that uid.
func (s *Store) IncidentByUID(uid string) (id int64, found bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		var b *bolt.Bucket
		if tx.Bucket(bucketIncidentUIDs) != nil {
			b, id, err = findByUIDIndexed(tx, uid)
		} else {
			b, id, err = findByUID(tx.Bucket(bucketIncidents), uid)
		}
		found = b != nil
		return err
	})
	return id, found, err
}

// onlyUnseen keeps, of a legacy copy's operations, those about entries,
// public updates and retro items this incident has never seen.
func onlyUnseen(b *bolt.Bucket, ops []incident.Op) ([]incident.Op, error) {
	record, err := streamOps(b, "r")
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, o := range record {
		switch o.Type {
		case incident.OpItemAdd:
			known[o.Item+":"+o.Target] = true
		case incident.OpPublish:
			if o.Update != nil {
				known["update:"+o.Update.UID] = true
			}
		}
	}
	newEntry := map[string]bool{}
	var out []incident.Op
	for _, o := range ops {
		switch o.Type {
		case incident.OpEntryAdd:
			if _, seen := lookupUID(b, o.EntryUID()); !seen {
				newEntry[o.EntryUID()] = true
				out = append(out, o)
			}
		case incident.OpEntryDelete, incident.OpEntryRestore:
			if newEntry[o.Target] {
				out = append(out, o)
			}
		case incident.OpPublish:
			if o.Update != nil && !known["update:"+o.Update.UID] {
				out = append(out, o)
			}
		case incident.OpItemAdd:
			if !known[o.Item+":"+o.Target] {
				out = append(out, o)
			}
		}
	}
	return out, nil
}

// latest is the time of the newest operation.
func latest(ops []incident.Op) time.Time {
	var t time.Time
	for _, o := range ops {
		if o.At.After(t) {
			t = o.At
		}
	}
	return t
}

func hasCreate(ops []incident.Op) bool {
	return slices.ContainsFunc(ops, func(o incident.Op) bool { return o.Type == incident.OpCreate })
}

// createdUID is the uid the creation operation names.
func createdUID(ops []incident.Op) string {
	for _, o := range ops {
		if o.Type == incident.OpCreate {
			var body incident.OpCreateBody
			if json.Unmarshal([]byte(o.Value), &body) == nil {
				return body.UID
			}
		}
	}
	return ""
}

// createEmpty makes the bucket of an incident brought in, with a head that
// the fold then fills.
func createEmpty(root *bolt.Bucket, uid string, in *incident.Incident) (*bolt.Bucket, int64, error) {
	seq, err := root.NextSequence()
	if err != nil {
		return nil, 0, err
	}
	id := int64(seq)
	b, err := createIncidentBucket(root, id)
	if err != nil {
		return nil, 0, err
	}
	head := &incident.Incident{ID: id, UID: uid, Title: in.Title, Created: utc(in.Created)}
	return b, id, putHead(b, head)
}

// bucketIncidentUIDs maps each incident's uid to its local id, so that an
// import (a sync brings one per incident) finds its incident in one
// lookup rather than by reading every incident's head. It is made from
// the heads the first time a write needs it.
var bucketIncidentUIDs = []byte("incident_uids")

// findByUIDIndexed is findByUID through the uid index, making the index
// first if this database has none yet.
func findByUIDIndexed(tx *bolt.Tx, uid string) (*bolt.Bucket, int64, error) {
	root := tx.Bucket(bucketIncidents)
	ix := tx.Bucket(bucketIncidentUIDs)
	if ix == nil {
		var err error
		if ix, err = tx.CreateBucket(bucketIncidentUIDs); err != nil {
			return nil, 0, err
		}
		c := root.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v != nil || len(k) != 8 {
				continue
			}
			h, err := readHead(root.Bucket(k))
			if err != nil {
				return nil, 0, err
			}
			if h.UID != "" {
				if err := ix.Put([]byte(h.UID), bytes.Clone(k)); err != nil {
					return nil, 0, err
				}
			}
		}
	}
	v := ix.Get([]byte(uid))
	if len(v) != 8 {
		return nil, 0, nil
	}
	b := packIncident(root.Bucket(v), v)
	if b == nil {
		return nil, 0, nil
	}
	return b, int64(binary.BigEndian.Uint64(v)), nil
}

// indexUID records a new incident's uid in the index, if there is one
// (findByUIDIndexed makes it whole when there is not).
func indexUID(tx *bolt.Tx, uid string, id int64) error {
	if ix := tx.Bucket(bucketIncidentUIDs); ix != nil && uid != "" {
		return ix.Put([]byte(uid), idKey(id))
	}
	return nil
}

func findByUID(root *bolt.Bucket, uid string) (*bolt.Bucket, int64, error) {
	c := root.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil || len(k) != 8 {
			continue
		}
		b := root.Bucket(k)
		var head struct {
			ID  int64  `json:"id"`
			UID string `json:"uid"`
		}
		if err := getJSON(b, keyHead, &head); err != nil {
			return nil, 0, err
		}
		if head.UID == uid {
			return packIncident(b, k), head.ID, nil
		}
	}
	return nil, 0, nil
}

func hasDeclaration(es []incident.Entry) bool {
	return slices.ContainsFunc(es, func(e incident.Entry) bool { return e.Set.Field == incident.FieldDeclared })
}

func cloneForImport(in *incident.Incident) *incident.Incident {
	c := *in
	c.Entries = slices.Clone(in.Entries)
	c.Updates = slices.Clone(in.Updates)
	c.Roles = maps.Clone(in.Roles)
	c.Milestones = maps.Clone(in.Milestones)
	c.Tags = slices.Clone(in.Tags)
	return &c
}

// AllIncidents loads every incident with its whole timeline, updates and
// retro in one read transaction, in creation order. Deleted entries are
// included, flagged. Search, statistics and `export --all` use it. The
// bytes are copied out in the transaction and decoded after it, so the
// file is locked no longer than the copy takes.
func (s *Store) AllIncidents() ([]*incident.Incident, error) { return s.allIncidents(false) }

// AllIncidentsWithOps is AllIncidents with each incident's operations, for
// the repository (sync).
func (s *Store) AllIncidentsWithOps() ([]*incident.Incident, error) { return s.allIncidents(true) }

func (s *Store) allIncidents(withOps bool) ([]*incident.Incident, error) {
	var raws []rawIncident
	err := s.view(func(tx *bolt.Tx) error {
		eachIncident(tx, false, func(b *bolt.Bucket) { raws = append(raws, copyIncident(tx, b, -1, withOps)) })
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*incident.Incident, 0, len(raws))
	for _, r := range raws {
		inc, err := r.decode()
		if err != nil {
			return nil, err
		}
		out = append(out, inc)
	}
	return out, nil
}
