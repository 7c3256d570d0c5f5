package store

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"reflect"
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
	// ChangesAdded counts change records (who edited or deleted what)
	// brought in from the other copy.
	ChangesAdded              int
	HeadChanged, RetroChanged bool
}

// Changed reports whether the import changed anything.
func (r ImportResult) Changed() bool {
	return r.Created || r.EntriesAdded > 0 || r.EntriesUpdated > 0 || r.UpdatesAdded > 0 || r.ChangesAdded > 0 || r.HeadChanged || r.RetroChanged
}

// ImportIncident brings an incident from elsewhere (an export, a teammate's
// copy, the demo) into the database in one transaction.
//
// The incident is matched by UID. An unknown or empty UID creates a new
// incident with a new local id, keeping its entries, updates and retro. A
// known one is merged: entries and updates are matched by UID (or, lacking
// one, by content), new ones are added, and an existing entry is replaced
// only by a copy edited later (EditedAt); a deletion on either side sticks.
// The incident's own fields are not compared at all: they are the fold of
// the merged timeline, so a stale copy from a laptop whose clock was fast
// cannot revert the status or the severity. The retro is merged section by
// section (later edit wins), whys by their text and actions by UID or
// title. Importing the same file twice, or a teammate's copy, therefore
// never duplicates anything. A file whose entries repeat a uid is refused.
func (s *Store) ImportIncident(in *incident.Incident) (ImportResult, error) {
	var res ImportResult
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
	in = cloneForImport(in)
	err := s.update(func(tx *bolt.Tx) error {
		res = ImportResult{}
		root := tx.Bucket(bucketIncidents)
		var b *bolt.Bucket
		if in.UID != "" {
			var err error
			if b, res.ID, err = findByUID(root, in.UID); err != nil {
				return err
			}
		}
		if b == nil {
			res.Created = true
			if err := createImported(root, in, &res); err != nil {
				return err
			}
			if err := readBackIncidents(tx, root, idKey(res.ID)); err != nil {
				return s.unreadable(res.ID, err)
			}
			b = root.Bucket(idKey(res.ID))
		} else {
			if err := mergeImported(b, in, &res); err != nil {
				return err
			}
			if !res.Changed() {
				return errNoChanges
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

// findByUID returns the bucket and id of the incident with uid, or nil.
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
			return b, head.ID, nil
		}
	}
	return nil, 0, nil
}

func createImported(root *bolt.Bucket, in *incident.Incident, res *ImportResult) error {
	seq, err := root.NextSequence()
	if err != nil {
		return err
	}
	head := *in
	head.ID = int64(seq)
	res.ID = head.ID
	if head.UID == "" {
		head.UID = NewUID()
	}
	if head.Status == "" {
		head.Status = incident.Investigating
	}
	if head.Roles == nil {
		head.Roles = map[string]string{}
	}
	b, err := createIncidentBucket(root, head.ID)
	if err != nil {
		return err
	}
	head.Entries, head.Updates = nil, nil
	if err := putHead(b, &head); err != nil {
		return err
	}
	retro := in.Retro
	retro.Sections = slices.Clone(retro.Sections)
	retro.Whys = slices.Clone(retro.Whys)
	retro.Actions = slices.Clone(retro.Actions)
	if retro.Status == "" {
		retro.Status = incident.RetroDraft
	}
	for i := range retro.Actions {
		if retro.Actions[i].UID == "" {
			retro.Actions[i].UID = NewUID()
		}
	}
	if err := putJSON(b, keyRetro, &retro); err != nil {
		return err
	}
	// An export written before the timeline was the record has entries
	// without settings: read them back so the fold gives its fields.
	if !hasDeclaration(in.Entries) {
		incident.Backfill(in, "warroom")
	}
	// Entries get local ids in time order, so the ids read like the timeline.
	entries := slices.Clone(in.Entries)
	incident.SortEntries(entries)
	for _, e := range entries {
		e.ID = 0
		if _, err := appendEntry(b, e); err != nil {
			return err
		}
		res.EntriesAdded++
	}
	updates := slices.Clone(in.Updates)
	slices.SortStableFunc(updates, func(a, b incident.Update) int { return a.At.Compare(b.At) })
	for _, u := range updates {
		if err := appendUpdate(b, u); err != nil {
			return err
		}
		res.UpdatesAdded++
	}
	for _, c := range in.Changes {
		if err := recordChange(b, c, 0); err != nil {
			return err
		}
	}
	_, err = refold(b, time.Time{})
	return err
}

func hasDeclaration(es []incident.Entry) bool {
	return slices.ContainsFunc(es, func(e incident.Entry) bool { return e.Set.Field == incident.FieldDeclared })
}

// cloneForImport copies what the import may change, so the caller's
// incident is left as it was.
func cloneForImport(in *incident.Incident) *incident.Incident {
	c := *in
	c.Entries = slices.Clone(in.Entries)
	c.Roles = maps.Clone(in.Roles)
	c.Milestones = maps.Clone(in.Milestones)
	c.Tags = slices.Clone(in.Tags)
	return &c
}

func appendUpdate(b *bolt.Bucket, u incident.Update) error {
	ub := b.Bucket(bucketUpdates)
	seq, err := ub.NextSequence()
	if err != nil {
		return err
	}
	u.ID = int64(seq)
	if u.UID == "" {
		u.UID = NewUID()
	}
	return putJSON(ub, idKey(u.ID), &u)
}

func mergeImported(b *bolt.Bucket, in *incident.Incident, res *ImportResult) error {
	head, err := readHead(b)
	if err != nil {
		return err
	}
	if !hasDeclaration(in.Entries) {
		// An old export: give its entries settings the way the local copy
		// got them, so matching entries fold the same.
		incident.Backfill(in, "warroom")
		in.Entries = slices.DeleteFunc(in.Entries, func(e incident.Entry) bool { return e.ID == 0 && e.UID == "" })
	}
	if head.Draft == "" && in.Draft != "" {
		head.Draft, head.DraftRev, head.DraftBy = in.Draft, head.DraftRev+1, in.DraftBy
		if err := putHead(b, head); err != nil {
			return err
		}
		res.HeadChanged = true
	}
	if err := mergeEntries(b, in.Entries, res); err != nil {
		return err
	}
	if err := mergeUpdates(b, in.Updates, res); err != nil {
		return err
	}
	if err := mergeChanges(b, in.Changes, res); err != nil {
		return err
	}
	folded, err := refold(b, time.Time{})
	if err != nil {
		return err
	}
	if ok, _ := incident.FoldedEqual(folded, head); !ok || folded.Title != head.Title {
		res.HeadChanged = true
	}
	var retro incident.Retro
	if err := getJSON(b, keyRetro, &retro); err != nil {
		return err
	}
	if mergeRetro(&retro, in.Retro) {
		res.RetroChanged = true
		return putJSON(b, keyRetro, &retro)
	}
	return nil
}

// entryContentKey matches entries that carry no UID.
func entryContentKey(e incident.Entry) string {
	return e.At.UTC().Format(time.RFC3339Nano) + "\x00" + e.Author + "\x00" + string(e.Kind) + "\x00" + e.Text
}

func mergeEntries(b *bolt.Bucket, incoming []incident.Entry, res *ImportResult) error {
	eb := b.Bucket(bucketEntries)
	type stored struct {
		key []byte
		e   incident.Entry
	}
	byUID := map[string]stored{}
	byContent := map[string]bool{}
	err := eb.ForEach(func(k, v []byte) error {
		var e incident.Entry
		if err := decodeEntry(v, &e); err != nil {
			return err
		}
		if e.UID != "" {
			byUID[e.UID] = stored{bytes.Clone(k), e}
		}
		byContent[entryContentKey(e)] = true
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range incoming {
		old, ok := byUID[e.UID]
		if e.UID == "" || !ok {
			if e.UID == "" && byContent[entryContentKey(e)] {
				continue
			}
			e.ID = 0
			added, err := appendEntry(b, e)
			if err != nil {
				return err
			}
			byUID[added.UID] = stored{entryKey(added.At, added.ID), added}
			byContent[entryContentKey(added)] = true
			res.EntriesAdded++
			continue
		}
		merged := old.e
		if e.EditedAt.After(old.e.EditedAt) {
			merged = e
			merged.ID, merged.UID = old.e.ID, old.e.UID
		}
		merged.Deleted = old.e.Deleted || e.Deleted
		if reflect.DeepEqual(merged, old.e) {
			continue
		}
		if err := putEntry(b, merged, old.key); err != nil {
			return err
		}
		byUID[merged.UID] = stored{entryKey(merged.At, merged.ID), merged}
		res.EntriesUpdated++
	}
	return nil
}

func mergeUpdates(b *bolt.Bucket, incoming []incident.Update, res *ImportResult) error {
	existing, err := readUpdates(b.Bucket(bucketUpdates))
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	content := func(u incident.Update) string { return u.At.UTC().Format(time.RFC3339Nano) + "\x00" + u.Text }
	for _, u := range existing {
		seen["uid:"+u.UID] = u.UID != ""
		seen[content(u)] = true
	}
	in := slices.Clone(incoming)
	slices.SortStableFunc(in, func(a, b incident.Update) int { return a.At.Compare(b.At) })
	for _, u := range in {
		if (u.UID != "" && seen["uid:"+u.UID]) || (u.UID == "" && seen[content(u)]) {
			continue
		}
		if err := appendUpdate(b, u); err != nil {
			return err
		}
		seen["uid:"+u.UID] = u.UID != ""
		seen[content(u)] = true
		res.UpdatesAdded++
	}
	return nil
}

// mergeChanges adds the change records the local copy lacks, so who
// edited or deleted what on the other copy is not lost. A record is the
// same record when every field matches: it is copied verbatim from the
// copy that made it.
func mergeChanges(b *bolt.Bucket, incoming []incident.Change, res *ImportResult) error {
	seen := map[incident.Change]bool{}
	err := b.Bucket(bucketChanges).ForEach(func(_, v []byte) error {
		var c storedChange
		if err := decodeJSON(v, &c); err != nil {
			return err
		}
		seen[normChange(c.Change)] = true
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range incoming {
		if seen[normChange(c)] {
			continue
		}
		if err := recordChange(b, c, 0); err != nil {
			return err
		}
		seen[normChange(c)] = true
		res.ChangesAdded++
	}
	return nil
}

// normChange makes a change comparable across a round trip through JSON
// (which drops the monotonic clock and keeps the zone as an offset).
func normChange(c incident.Change) incident.Change {
	c.At = c.At.UTC()
	return c
}

func norm(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// mergeRetro merges in into local and reports whether local changed.
func mergeRetro(local *incident.Retro, in incident.Retro) bool {
	changed := false
	if in.Status == incident.RetroFinal && local.Status != incident.RetroFinal {
		local.Status = incident.RetroFinal
		changed = true
	}
	if local.Due.IsZero() && !in.Due.IsZero() {
		local.Due = in.Due
		changed = true
	}
	for _, s := range in.Sections {
		i := slices.IndexFunc(local.Sections, func(l incident.Section) bool { return norm(l.Title) == norm(s.Title) })
		if i < 0 {
			s.Contributors = slices.Clone(s.Contributors)
			local.Sections = append(local.Sections, s)
			changed = true
			continue
		}
		l := &local.Sections[i]
		if s.Edited.After(l.Edited) {
			l.Text, l.Edited = s.Text, s.Edited
			changed = true
		}
		// Perspectives are each person's own: matched by author, the
		// later edit of one person's wins, nobody else's is touched.
		for _, p := range s.Perspectives {
			j := slices.IndexFunc(l.Perspectives, func(q incident.Perspective) bool { return q.Author == p.Author })
			switch {
			case j < 0:
				l.Perspectives = append(l.Perspectives, p)
				changed = true
			case p.Edited.After(l.Perspectives[j].Edited):
				l.Perspectives[j] = p
				changed = true
			}
		}
		for _, c := range s.Contributors {
			if !slices.Contains(l.Contributors, c) {
				l.Contributors = append(l.Contributors, c)
				changed = true
			}
		}
	}
	for _, w := range in.Whys {
		i := slices.IndexFunc(local.Whys, func(l incident.Why) bool {
			return norm(l.Why) == norm(w.Why) && norm(l.Because) == norm(w.Because)
		})
		if i < 0 {
			local.Whys = append(local.Whys, w)
			changed = true
			continue
		}
		if w.RootCause && !local.Whys[i].RootCause {
			local.Whys[i].RootCause = true
			changed = true
		}
	}
	for _, a := range in.Actions {
		i := slices.IndexFunc(local.Actions, func(l incident.Action) bool {
			if a.UID != "" && l.UID != "" {
				return a.UID == l.UID
			}
			return norm(l.Title) == norm(a.Title)
		})
		if i < 0 {
			if a.UID == "" {
				a.UID = NewUID()
			}
			local.Actions = append(local.Actions, a)
			changed = true
			continue
		}
		l := &local.Actions[i]
		before := *l
		l.Done = l.Done || a.Done
		if l.Owner == "" {
			l.Owner = a.Owner
		}
		if l.Due.IsZero() {
			l.Due = a.Due
		}
		if l.Link == "" {
			l.Link = a.Link
		}
		if l.UID == "" {
			l.UID = a.UID
		}
		if l.Addresses == "" {
			l.Addresses = a.Addresses
		}
		if *l != before {
			changed = true
		}
	}
	if mergeFactors(local, in.Factors) {
		changed = true
	}
	for _, c := range in.Review {
		if c.UID == "" {
			c.UID = NewUID()
		}
		if !slices.ContainsFunc(local.Review, func(l incident.ReviewComment) bool {
			return l.UID == c.UID || (l.Author == c.Author && l.At.Equal(c.At) && l.Text == c.Text)
		}) {
			local.Review = append(local.Review, c)
			changed = true
		}
	}
	return changed
}

// mergeFactors merges a copy's contributing factors into local by uid: new
// ones are added, evidence links are united, a luck flag set on either side
// stays set, and a cause reworded on both sides keeps local's wording (the
// other is a new factor only when its uid is new).
func mergeFactors(local *incident.Retro, in []incident.Factor) bool {
	changed := false
	for _, f := range in {
		i := slices.IndexFunc(local.Factors, func(l incident.Factor) bool {
			if f.UID != "" && l.UID != "" {
				return f.UID == l.UID
			}
			return norm(l.Cause) == norm(f.Cause)
		})
		if i < 0 {
			if f.UID == "" {
				f.UID = NewUID()
			}
			f.Evidence = slices.Clone(f.Evidence)
			local.Factors = append(local.Factors, f)
			changed = true
			continue
		}
		l := &local.Factors[i]
		for _, e := range f.Evidence {
			if !slices.Contains(l.Evidence, e) {
				l.Evidence = append(l.Evidence, e)
				changed = true
			}
		}
		if f.Lucky && !l.Lucky {
			l.Lucky = true
			changed = true
		}
	}
	return changed
}

// AllIncidents loads every incident with its whole timeline, updates and
// retro in one read transaction, in creation order. Deleted entries are
// included, flagged. Search, statistics and `export --all` use it. The
// bytes are copied out in the transaction and decoded after it, so the
// file is locked no longer than the copy takes.
func (s *Store) AllIncidents() ([]*incident.Incident, error) {
	var raws []rawIncident
	err := s.view(func(tx *bolt.Tx) error {
		eachIncident(tx, false, func(b *bolt.Bucket) { raws = append(raws, copyIncident(tx, b, -1)) })
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
