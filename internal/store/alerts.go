package store

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Alerts in (product.md §9). An alert payload arrives as an
// incident.AlertBatch (internal/alert plans it) and is applied in one write
// transaction: it appends to the open incident declared from the same dedup
// key, or declares one, or waits as a pending alert when declaring is off.
//
// Everything an alert writes is an operation like any other, with ids and
// clocks derived from the alert (incident.AlertCreateOps, AlertEntryOp), and
// it goes in through the same union an import uses: the same alert received
// twice, here or on another laptop, is the same operation. Each entry's Key
// (the alert's identity) is recorded once per incident (see recordKey), so a
// resent payload whose annotations changed meanwhile still appends nothing.
//
//	pending_alerts/<id>   a PendingAlert (JSON), id = PendingID(source, key)
var bucketPendingAlerts = []byte("pending_alerts")

// AlertResult says what ApplyAlerts did with one batch.
type AlertResult struct {
	// ID is the incident the batch went to; 0 when it went nowhere
	// (pending, or nothing fired and no incident was open).
	ID       int64
	Declared bool
	// Pending names the pending alert that holds the batch, "" if none.
	Pending string
	// Added are the entries appended, as stored (with their numbers).
	Added []incident.Entry
	// Known counts the entries the incident already had (a resend).
	Known int
	// Note is a sentence about a choice made: two open incidents with one
	// dedup key, an incident already resolved, nothing to record.
	Note string
}

// PendingAlert is an alert that would have declared an incident while
// declaring is off ([alerts] declare = false): the incident list shows it,
// and DeclarePending declares it with the form a person filled in.
type PendingAlert struct {
	ID     string               `json:"id"`
	Origin incident.AlertOrigin `json:"origin"`
	// Declare is the incident the alert would declare: the form's
	// starting values (Form) and the uid the declared incident takes.
	Declare incident.AlertDeclare `json:"declare"`
	// Entries are what the alert's payloads appended meanwhile, each once.
	Entries  []incident.Entry `json:"entries,omitzero"`
	Received time.Time        `json:"received"`
	Updated  time.Time        `json:"updated"`
	// Firing names the alerts that fired; Resolved is set when every
	// alert of the group has resolved since.
	Firing   []string `json:"firing,omitzero"`
	Resolved bool     `json:"resolved,omitzero"`
}

// Form is the declare form's starting values for a pending alert.
func (p PendingAlert) Form() *incident.Incident {
	origin := p.Origin
	return &incident.Incident{
		Title: p.Declare.Title, Severity: p.Declare.Severity, Tags: slices.Clone(p.Declare.Tags),
		Created: p.Declare.Created, Alert: &origin,
	}
}

// PendingID names the pending alert of a dedup key.
func PendingID(source, key string) string {
	h := sha256.Sum256([]byte(source + "\x00" + key))
	return "p" + hex.EncodeToString(h[:])[:23]
}

// ApplyAlerts applies alert batches in one write transaction: all or
// nothing. declare false keeps a batch that would declare an incident as
// a pending alert. now is the time they arrived.
func (s *Store) ApplyAlerts(batches []incident.AlertBatch, declare bool, now time.Time) ([]AlertResult, error) {
	for _, bt := range batches {
		if err := checkBatch(bt); err != nil {
			return nil, err
		}
	}
	var out []AlertResult
	err := s.update(func(tx *bolt.Tx) error {
		out = make([]AlertResult, 0, len(batches))
		changed := false
		for _, bt := range batches {
			res, err := applyAlert(tx, bt, declare, now)
			if err != nil {
				return err
			}
			changed = changed || res.Declared || len(res.Added) > 0 || res.Pending != ""
			out = append(out, res)
		}
		if !changed {
			return errNoChanges
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkBatch holds a batch to the limits of typing, as an import is.
func checkBatch(bt incident.AlertBatch) error {
	if strings.TrimSpace(bt.Origin.Key) == "" || bt.Origin.Source == "" {
		return errors.New("the alert names no source or dedup key")
	}
	es := bt.Entries
	if d := bt.Declare; d != nil {
		if !incident.ValidUID(d.UID) || len(d.Opening) == 0 || d.Opening[0].Set.Field != incident.FieldDeclared {
			return errors.New("the alert's declaration is incomplete")
		}
		if err := incident.CheckDeclaration(&incident.Incident{Title: d.Title, Tags: d.Tags}); err != nil {
			return err
		}
		es = append(slices.Clone(d.Opening), es...)
	}
	for _, e := range es {
		if !incident.ValidUID(e.UID) || e.Key == "" {
			return errors.New("an alert entry has no uid or key")
		}
		if err := incident.CheckKey(e.Key); err != nil {
			return err
		}
		if len(e.Text) > incident.MaxTextBytes {
			return fmt.Errorf("an alert entry is %d KB, over the limit", len(e.Text)>>10)
		}
		if err := incident.CheckName("the alert's author", e.Author); err != nil {
			return err
		}
	}
	return nil
}

func applyAlert(tx *bolt.Tx, bt incident.AlertBatch, declare bool, now time.Time) (AlertResult, error) {
	var res AlertResult
	root := tx.Bucket(bucketIncidents)
	open, err := openByAlert(root, bt.Origin)
	if err != nil {
		return res, err
	}
	if len(open) > 0 {
		// Two open incidents with one dedup key (declared on two laptops
		// from different first alerts, then synced): the one declared
		// first, ties by uid, the same choice on every copy.
		slices.SortFunc(open, func(a, b *incident.Incident) int {
			if c := a.Created.Compare(b.Created); c != 0 {
				return c
			}
			return cmp.Compare(a.UID, b.UID)
		})
		if len(open) > 1 {
			var others []string
			for _, o := range open[1:] {
				others = append(others, o.Key())
			}
			res.Note = fmt.Sprintf("%s and %s are both open for alert %s; it went to %s, declared first", open[0].Key(), strings.Join(others, ", "), bt.Origin.Name, open[0].Key())
		}
		return appendAlert(tx, root, open[0].ID, bt, now, res)
	}
	pb := tx.Bucket(bucketPendingAlerts)
	pid := PendingID(bt.Origin.Source, bt.Origin.Key)
	var pending *PendingAlert
	if pb != nil {
		if v := pb.Get([]byte(pid)); v != nil {
			pending = &PendingAlert{}
			if err := decodeJSON(recordJSON(v), pending); err != nil {
				return res, err
			}
		}
	}
	if bt.Declare == nil {
		if pending != nil {
			return res, keepPending(tx, pending, bt, now, &res)
		}
		res.Note = fmt.Sprintf("no open incident has alert %s and nothing in it fires; nothing recorded", bt.Origin.Name)
		return res, nil
	}
	if b, id, err := findByUIDIndexed(tx, bt.Declare.UID); err != nil {
		return res, err
	} else if b != nil {
		// The alert's own incident, resolved by a person since: the same
		// alert (same first firing) belongs to it, not to a new one.
		res.Note = fmt.Sprintf("%s, declared from this alert, is resolved; its news is added there", incident.FormatID(id))
		return appendAlert(tx, root, id, bt, now, res)
	}
	if !declare {
		if pending == nil {
			pending = &PendingAlert{ID: pid, Origin: bt.Origin, Declare: *bt.Declare, Received: now.UTC()}
		}
		return res, keepPending(tx, pending, bt, now, &res)
	}
	d := *bt.Declare
	entries := bt.Entries
	if pending != nil {
		// Declaring was turned on meanwhile: the pending alert's news
		// comes along, and it is pending no more.
		d = pending.Declare
		entries = append(slices.Clone(pending.Entries), entries...)
		if err := pb.Delete([]byte(pid)); err != nil {
			return res, err
		}
	}
	b, id, err := createEmpty(root, d.UID, &incident.Incident{Title: d.Title, Created: d.Created})
	if err != nil {
		return res, err
	}
	if err := indexUID(tx, d.UID, id); err != nil {
		return res, err
	}
	res.ID, res.Declared = id, true
	ops := d.Ops()
	if err := addAlertEntries(b, ops, entries, now, &res); err != nil {
		return res, err
	}
	return res, readBackIncidents(tx, root, idKey(id))
}

// appendAlert appends a batch's entries to incident id.
func appendAlert(tx *bolt.Tx, root *bolt.Bucket, id int64, bt incident.AlertBatch, now time.Time, res AlertResult) (AlertResult, error) {
	res.ID = id
	b := root.Bucket(idKey(id))
	if b == nil {
		return res, incidentNotFound(id)
	}
	return res, addAlertEntries(b, nil, bt.Entries, now, &res)
}

// addAlertEntries stores ops and the operations adding those entries whose
// key the incident has not recorded, and folds what they touch.
func addAlertEntries(b *bolt.Bucket, ops []incident.Op, entries []incident.Entry, now time.Time, res *AlertResult) error {
	seen := map[string]bool{}
	for _, o := range ops {
		if o.Entry != nil && o.Entry.Key != "" {
			seen[o.Entry.Key] = true
		}
	}
	for _, e := range entries {
		if seen[e.Key] {
			continue
		}
		seen[e.Key] = true
		if _, known, err := keyedEntry(b, 0, e.Key); err != nil {
			return err
		} else if known {
			res.Known++
			continue
		}
		ops = append(ops, incident.AlertEntryOp(e))
	}
	if len(ops) == 0 {
		return nil
	}
	added, fresh, err := unionOps(b, ops, now)
	if err != nil {
		return err
	}
	if err := refoldStreams(b, added, latest(added), true, fresh); err != nil {
		return err
	}
	for _, o := range added {
		if o.Type != incident.OpEntryAdd {
			continue
		}
		e, _, err := loadEntryByUID(b, o.EntryUID())
		if err != nil {
			return err
		}
		res.Added = append(res.Added, e)
	}
	incident.SortEntries(res.Added)
	return nil
}

// keepPending adds a batch's news to a pending alert and stores it.
func keepPending(tx *bolt.Tx, p *PendingAlert, bt incident.AlertBatch, now time.Time, res *AlertResult) error {
	pb, err := tx.CreateBucketIfNotExists(bucketPendingAlerts)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, e := range p.Entries {
		have[e.Key] = true
	}
	for _, e := range bt.Entries {
		if have[e.Key] {
			res.Known++
			continue
		}
		have[e.Key] = true
		p.Entries = append(p.Entries, e)
		res.Added = append(res.Added, e)
	}
	for _, n := range bt.Firing {
		if !slices.Contains(p.Firing, n) {
			p.Firing = append(p.Firing, n)
		}
	}
	p.Resolved = bt.Resolved
	if bt.Declare != nil && len(bt.Firing) > 0 {
		p.Resolved = false
	}
	p.Updated = now.UTC()
	res.Pending = p.ID
	return putJSON(pb, []byte(p.ID), p)
}

// openByAlert returns the open incidents declared from origin's source and
// dedup key.
func openByAlert(root *bolt.Bucket, origin incident.AlertOrigin) ([]*incident.Incident, error) {
	var out []*incident.Incident
	c := root.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil || len(k) != 8 {
			continue
		}
		raw := root.Bucket(k).Get(keyHead)
		// Most incidents were not declared from an alert: skip them
		// without decoding.
		if !bytes.Contains(raw, []byte(`"alert":`)) {
			continue
		}
		h, err := readHead(root.Bucket(k))
		if err != nil {
			return nil, err
		}
		if h.Open() && h.Alert != nil && h.Alert.Source == origin.Source && h.Alert.Key == origin.Key {
			out = append(out, h)
		}
	}
	return out, nil
}

// PendingAlerts returns the alerts waiting to be declared, newest first.
func (s *Store) PendingAlerts() ([]PendingAlert, error) {
	var raw [][]byte
	err := s.view(func(tx *bolt.Tx) error {
		pb := tx.Bucket(bucketPendingAlerts)
		if pb == nil {
			return nil
		}
		return pb.ForEach(func(_, v []byte) error {
			raw = append(raw, bytes.Clone(v))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	out := make([]PendingAlert, 0, len(raw))
	for _, v := range raw {
		var p PendingAlert
		if err := decodeJSON(recordJSON(v), &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b PendingAlert) int {
		if c := b.Updated.Compare(a.Updated); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// ErrNoPending is returned for a pending alert that is not (or no longer)
// waiting: declared or dismissed by someone else meanwhile.
var ErrNoPending = errors.New("that alert is no longer pending; someone declared or dismissed it")

// DeclarePending declares the incident a pending alert waits for, with the
// fields of the declare form (form: title, severity, roles, channels,
// cadence, tags; start from PendingAlert.Form), by author at now. The
// incident starts at the alert's time and takes the uid the alert would
// have declared it under, so a laptop that declared the same alert by
// itself holds the same incident; the alert's news follows on its
// timeline, and the alert is pending no more. All in one transaction.
func (s *Store) DeclarePending(id string, form *incident.Incident, author string, now time.Time) (*incident.Incident, error) {
	if err := incident.CheckDeclaration(form); err != nil {
		return nil, err
	}
	if strings.TrimSpace(form.Title) == "" {
		return nil, errors.New("the title is empty; give the incident a title")
	}
	var out *incident.Incident
	err := s.update(func(tx *bolt.Tx) error {
		pb := tx.Bucket(bucketPendingAlerts)
		var v []byte
		if pb != nil {
			v = pb.Get([]byte(id))
		}
		if v == nil {
			return ErrNoPending
		}
		var p PendingAlert
		if err := decodeJSON(recordJSON(v), &p); err != nil {
			return err
		}
		if err := pb.Delete([]byte(id)); err != nil {
			return err
		}
		root := tx.Bucket(bucketIncidents)
		d := p.Declare
		if b, _, err := findByUIDIndexed(tx, d.UID); err != nil {
			return err
		} else if b != nil {
			// Declared elsewhere and brought here by a sync meanwhile.
			d.UID = NewUID()
		}
		inc := *form
		inc.Created = d.Created
		origin := p.Origin
		inc.Alert = &origin
		if inc.Severity == 0 {
			inc.Severity = d.Severity
		}
		decl := incident.DeclaredEntry(&inc, author, now.UTC())
		decl.UID = NewUID()
		decl.Text += " — from alert " + p.Origin.Name + " · " + p.Origin.Source
		b, newID, err := createEmpty(root, d.UID, &inc)
		if err != nil {
			return err
		}
		if err := indexUID(tx, d.UID, newID); err != nil {
			return err
		}
		ops := incident.AlertCreateOps(d.UID, d.Created, d.Sections, decl)
		// The declaring person's entry is theirs, by them, recorded now;
		// it keeps the first place among what happened at the alert's time.
		ops[1].Author, ops[1].At, ops[1].Clock = author, now.UTC(), ops[0].Clock
		var res AlertResult
		if err := addAlertEntries(b, ops, append(slices.Clone(d.Opening[1:]), p.Entries...), now, &res); err != nil {
			return err
		}
		if err := readBackIncidents(tx, root, idKey(newID)); err != nil {
			return err
		}
		h, err := readHead(b)
		out = h
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DismissPending drops a pending alert without declaring anything.
func (s *Store) DismissPending(id string) error {
	return s.update(func(tx *bolt.Tx) error {
		pb := tx.Bucket(bucketPendingAlerts)
		if pb == nil || pb.Get([]byte(id)) == nil {
			return ErrNoPending
		}
		return pb.Delete([]byte(id))
	})
}
