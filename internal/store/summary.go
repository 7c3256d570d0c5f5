package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/crc64"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Summaries (schema 5).
//
// list, stats and search read every incident, and decoding each one's head,
// retro and public updates from JSON was half of what they cost at 10,000
// incidents. So the store keeps, beside the incidents, one small record per
// incident in a bucket of its own:
//
//	summaries/<id>   what list and stats print (title, severity, status,
//	                 times, tags, milestones, cadence, the number of entries,
//	                 the times of the public updates, the retro's status and
//	                 actions), the uid and a sum of the timeline's records
//	                 (export --all's stamp), and the case-folded text of the
//	                 title, tags, public updates and retro that search
//	                 looks in
//
// in a binary form that decodes without JSON, ending in a CRC-32C of itself.
// A walk of one bucket of small records replaces a walk of every
// incident's nested buckets.
//
// The summary is derived from the stored head, retro and updates, which
// are the fold of the operations, and is brought up to date in the same
// write transaction, just before it commits (flushSummaries, called where
// the transaction's new uids are written): every incident bucket a write
// opens is noted (packIncident), and its summary is looked at then. Each
// part is rebuilt only when the bytes it comes from changed (a CRC of each
// is kept in the summary): a line typed changes the head's updated time
// and the count, so it decodes the head only; the retro and the updates are
// decoded again only when they change. warroom check rebuilds every summary
// from the incident and reports any that differ.
var bucketSummaries = []byte("summaries")

// summarySchema is the schema from which the summaries are kept; check
// does not look for them in an older file.
const summarySchema = 5

// summary is one incident's record in the summaries bucket.
type summary struct {
	headCRC, retroCRC, updatesCRC uint32

	id         int64
	uid        string
	title      string
	severity   int64
	status     string
	cadence    int64
	created    time.Time
	updated    time.Time
	tags       []string
	milestones []milestoneAt
	entries    int64
	// timeline is the sum of entryHash over the incident's entries
	// records: it changes with any change to the timeline, and a write
	// brings it up to date from the entries it put or removed alone.
	// export --all stamps an incident with it instead of reading its
	// timeline.
	timeline uint64
	headText string // folded title and tags, one field a line

	updates     []time.Time // when each public update was published, in stored order
	updatesText string

	actions     []incident.Action // title, kind, owner, due and done only
	retroStatus string
	retroText   string
}

type milestoneAt struct {
	name string
	at   time.Time
}

// summaryHead is what a summary takes from the head's JSON.
type summaryHead struct {
	ID         int64                            `json:"id"`
	UID        string                           `json:"uid"`
	Title      string                           `json:"title"`
	Severity   incident.Severity                `json:"severity"`
	Status     incident.Status                  `json:"status"`
	Cadence    time.Duration                    `json:"cadence"`
	Tags       []string                         `json:"tags"`
	Created    time.Time                        `json:"created"`
	Updated    time.Time                        `json:"updated"`
	Milestones map[incident.Milestone]time.Time `json:"milestones"`
}

// searchText is the folded, cleaned text of fields as search reads them
// (incident.SearchFields, export.Search), one field a line: a query is one
// line, so it is found in this text exactly when it is found in a field.
func searchText(inc *incident.Incident) string {
	var sb strings.Builder
	incident.SearchFields(inc, func(_ string, _ time.Time, s string) {
		t := incident.CleanLine(s)
		if strings.TrimSpace(t) == "" {
			return
		}
		sb.WriteString(incident.SearchFold(t))
		sb.WriteByte('\n')
	})
	return sb.String()
}

func (sm *summary) setHead(h *summaryHead, crc uint32) {
	sm.headCRC = crc
	sm.uid = h.UID
	sm.id, sm.title, sm.severity, sm.status, sm.cadence = h.ID, h.Title, int64(h.Severity), string(h.Status), int64(h.Cadence)
	sm.created, sm.updated = h.Created, h.Updated
	sm.tags = h.Tags
	sm.milestones = sm.milestones[:0]
	for m, at := range h.Milestones {
		sm.milestones = append(sm.milestones, milestoneAt{string(m), at})
	}
	slices.SortFunc(sm.milestones, func(a, b milestoneAt) int { return strings.Compare(a.name, b.name) })
	sm.headText = searchText(&incident.Incident{Title: h.Title, Tags: h.Tags})
}

func (sm *summary) setRetro(r *incident.Retro, crc uint32) {
	sm.retroCRC = crc
	sm.retroStatus = string(r.Status)
	sm.actions = sm.actions[:0]
	for _, a := range r.Actions {
		sm.actions = append(sm.actions, incident.Action{Title: a.Title, Kind: a.Kind, Owner: a.Owner, Due: a.Due, Done: a.Done})
	}
	sm.retroText = searchText(&incident.Incident{Retro: incident.Retro{Sections: r.Sections, Whys: r.Whys, Actions: r.Actions}})
}

func (sm *summary) setUpdates(us []incident.Update, crc uint32) {
	sm.updatesCRC = crc
	sm.updates = sm.updates[:0]
	for _, u := range us {
		sm.updates = append(sm.updates, u.At)
	}
	sm.updatesText = searchText(&incident.Incident{Updates: us})
}

// sums are the CRCs of what a summary is made from: the head, the retro
// and the public updates as stored (with their checksum trailers).
func sums(b *bolt.Bucket) (head, retro, updates uint32) {
	head = crc32.Checksum(b.Get(keyHead), castagnoli)
	retro = crc32.Checksum(b.Get(keyRetro), castagnoli)
	if ub := b.Bucket(bucketUpdates); ub != nil {
		c := ub.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			updates = crc32.Update(updates, castagnoli, k)
			updates = crc32.Update(updates, castagnoli, v)
		}
	}
	return head, retro, updates
}

// buildSummary makes an incident's summary from its bucket. old, when not
// nil, is its stored summary: parts whose bytes have not changed are kept,
// and delta (when not nil) is what the write changed the timeline sum by.
func buildSummary(b *bolt.Bucket, old *summary, delta func(b *bolt.Bucket) uint64) (*summary, error) {
	hc, rc, uc := sums(b)
	sm := &summary{}
	if old != nil {
		*sm = *old
	}
	if old == nil || old.headCRC != hc {
		var h summaryHead
		if err := decodeJSON(b.Get(keyHead), &h); err != nil {
			return nil, err
		}
		sm.setHead(&h, hc)
	}
	if old == nil || old.retroCRC != rc {
		var r incident.Retro
		if err := decodeJSON(b.Get(keyRetro), &r); err != nil {
			return nil, err
		}
		sm.setRetro(&r, rc)
	}
	if old == nil || old.updatesCRC != uc {
		us, err := readUpdates(b.Bucket(bucketUpdates))
		if err != nil {
			return nil, err
		}
		sm.setUpdates(us, uc)
	}
	sm.entries = int64(entryCount(b))
	if old == nil || delta == nil {
		sm.timeline = timelineSum(b)
	} else {
		sm.timeline = old.timeline + delta(b)
	}
	return sm, nil
}

// entryHash is one entry record's share of a summary's timeline sum.
func entryHash(key, value []byte) uint64 {
	if value == nil {
		return 0
	}
	return crc64.Update(crc64.Checksum(key, crc64Table), crc64Table, value) | 1
}

var crc64Table = crc64.MakeTable(crc64.ECMA)

// timelineSum sums entryHash over every entry of incident bucket b.
func timelineSum(b *bolt.Bucket) uint64 {
	var sum uint64
	if eb := b.Bucket(bucketEntries); eb != nil {
		c := eb.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			sum += entryHash(k, v)
		}
	}
	return sum
}

// The incidents a write transaction opened, whose summaries and timeline
// text flushSummaries brings up to date before it commits.
var touchedIncidents sync.Map // *bolt.Tx -> map[*bolt.Bucket]*touched

// touched is an incident a write opened: the key it is filed under and the
// entries the write put or removed (see noteEntry).
type touched struct {
	key     []byte
	entries map[string]entryNote
	// before is each noted entry key's entryHash before the write.
	before map[string]uint64
}

// timelineDelta is what the write changed the timeline sum by: for each
// entry key it put or removed, its hash now less its hash before.
func (t *touched) timelineDelta(b *bolt.Bucket) uint64 {
	eb := b.Bucket(bucketEntries)
	var d uint64
	for k, was := range t.before {
		d += entryHash([]byte(k), eb.Get([]byte(k))) - was
	}
	return d
}

func touchedFor(b *bolt.Bucket) *touched {
	v, _ := touchedIncidents.LoadOrStore(b.Tx(), map[*bolt.Bucket]*touched{})
	m := v.(map[*bolt.Bucket]*touched)
	t := m[b]
	if t == nil {
		t = &touched{}
		m[b] = t
	}
	return t
}

// touchIncident notes that a write transaction opened incident bucket b,
// filed under key.
func touchIncident(b *bolt.Bucket, key []byte) {
	if t := touchedFor(b); len(key) == 8 {
		t.key = bytes.Clone(key)
	}
}

// flushSummaries brings the summary of every incident the transaction
// opened up to date; drop only forgets them (the transaction rolls back).
// A database without the summaries bucket (a migration to schema 5 not
// made yet) is left alone: the migration builds them all.
func flushSummaries(tx *bolt.Tx, drop bool) error {
	v, ok := touchedIncidents.LoadAndDelete(tx)
	if !ok || drop {
		return nil
	}
	sb, tb := tx.Bucket(bucketSummaries), tx.Bucket(bucketEntryText)
	if sb == nil {
		return nil
	}
	sb.FillPercent = packedFill
	if tb != nil {
		tb.FillPercent = packedFill
	}
	for b, t := range v.(map[*bolt.Bucket]*touched) {
		if t.key == nil {
			// Opened some other way than the store's look-ups: its head
			// names it.
			var h struct {
				ID int64 `json:"id"`
			}
			if decodeJSON(b.Get(keyHead), &h) != nil || h.ID == 0 {
				continue
			}
			t.key = idKey(h.ID)
		}
		if err := flushIncident(sb, tb, b, t); err != nil {
			return fmt.Errorf("INC-%d: %w", int64(binary.BigEndian.Uint64(t.key)), err)
		}
	}
	return nil
}

// flushIncident brings one incident's summary and timeline text up to
// date.
func flushIncident(sb, tb, b *bolt.Bucket, t *touched) error {
	if len(t.entries) > 0 && tb != nil {
		if err := flushEntryText(tb, b, t.key, t.entries, t.before); err != nil {
			return err
		}
	}
	return putSummary(sb, b, t.key, t.timelineDelta)
}

// putSummary rebuilds the summary of incident bucket b and stores it when
// it changed; delta is as for buildSummary.
func putSummary(sb, b *bolt.Bucket, key []byte, delta func(*bolt.Bucket) uint64) error {
	if len(key) != 8 || b.Get(keyHead) == nil {
		return nil
	}
	stored := sb.Get(key)
	var old *summary
	if stored != nil {
		if o, err := decodeSummary(stored); err == nil {
			old = &o
		}
	}
	sm, err := buildSummary(b, old, delta)
	if err != nil {
		return err
	}
	data := sm.encode()
	if bytes.Equal(stored, data) {
		return nil
	}
	return sb.Put(key, data)
}

// buildSummaries makes the summaries bucket whole (the migration to
// schema 5).
func buildSummaries(tx *bolt.Tx) error {
	sb, err := tx.CreateBucketIfNotExists(bucketSummaries)
	if err != nil {
		return err
	}
	sb.FillPercent = packedFill
	return forEachIncidentKey(tx, func(k []byte, b *bolt.Bucket) error {
		if len(k) != 8 {
			return nil
		}
		sm, err := buildSummary(b, nil, nil)
		if err != nil {
			return err
		}
		return sb.Put(k, sm.encode())
	})
}

// summaryProblems compares the stored summary of incident bucket b (key)
// with one built from it anew, for warroom check.
func summaryProblems(tx *bolt.Tx, b *bolt.Bucket, key []byte, name string) []string {
	sb := tx.Bucket(bucketSummaries)
	if sb == nil {
		return nil
	}
	want, err := buildSummary(b, nil, nil)
	if err != nil {
		return nil // the records' own problems are reported already
	}
	got := sb.Get(key)
	switch {
	case got == nil:
		return []string{name + ": its summary (what list, stats and search read) is missing"}
	case !bytes.Equal(got, want.encode()):
		return []string{name + ": its summary (what list, stats and search read) differs from the incident"}
	}
	return nil
}

// straySummaries reports summaries of incidents that do not exist.
func straySummaries(tx *bolt.Tx) []string {
	sb, root := tx.Bucket(bucketSummaries), tx.Bucket(bucketIncidents)
	if sb == nil || root == nil {
		return nil
	}
	var out []string
	_ = sb.ForEach(func(k, _ []byte) error {
		if root.Bucket(k) == nil {
			out = append(out, fmt.Sprintf("a summary is stored for incident %x, which does not exist", k))
		}
		return nil
	})
	if tb := tx.Bucket(bucketEntryText); tb != nil {
		_ = tb.ForEach(func(k, _ []byte) error {
			if len(k) < 8 || root.Bucket(k[:8]) == nil {
				out = append(out, fmt.Sprintf("timeline text is stored for incident %x, which does not exist", k[:min(8, len(k))]))
			}
			return nil
		})
	}
	return out
}

// The binary form. Integers are varints, strings and lists are prefixed
// by their length, a time is a tag (zero, UTC nanoseconds, or its text for
// any other zone or year) and its value; the record ends in the CRC-32C of
// what precedes it.
const summaryVersion = 1

func (sm *summary) encode() []byte {
	var e enc
	e.b = make([]byte, 0, 256+len(sm.headText)+len(sm.updatesText)+len(sm.retroText))
	e.uint(summaryVersion)
	e.uint(uint64(sm.headCRC))
	e.uint(uint64(sm.retroCRC))
	e.uint(uint64(sm.updatesCRC))
	e.int(sm.id)
	e.str(sm.uid)
	e.str(sm.title)
	e.int(sm.severity)
	e.str(sm.status)
	e.int(sm.cadence)
	e.time(sm.created)
	e.time(sm.updated)
	e.int(sm.entries)
	e.uint(sm.timeline)
	e.str(sm.retroStatus)
	e.bool(sm.tags != nil)
	e.uint(uint64(len(sm.tags)))
	for _, t := range sm.tags {
		e.str(t)
	}
	e.uint(uint64(len(sm.milestones)))
	for _, m := range sm.milestones {
		e.str(m.name)
		e.time(m.at)
	}
	e.str(sm.headText)
	e.uint(uint64(len(sm.updates)))
	for _, at := range sm.updates {
		e.time(at)
	}
	e.str(sm.updatesText)
	e.uint(uint64(len(sm.actions)))
	for _, a := range sm.actions {
		e.str(a.Title)
		e.str(string(a.Kind))
		e.str(a.Owner)
		e.time(a.Due)
		e.bool(a.Done)
	}
	e.str(sm.retroText)
	return binary.LittleEndian.AppendUint32(e.b, crc32.Checksum(e.b, castagnoli))
}

var errSummary = errors.New("a summary is damaged; run warroom check")

func decodeSummary(data []byte) (summary, error) { return decodeSummaryOf(data, true) }

// decodeSummaryOf decodes a summary, with its search texts or without
// them (list, stats and export do not read them; they are most of it).
func decodeSummaryOf(data []byte, texts bool) (summary, error) {
	var sm summary
	if len(data) < 4 {
		return sm, errSummary
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(data[len(body):]) {
		return sm, errSummary
	}
	d := dec{b: body}
	if d.uint() != summaryVersion {
		return sm, errSummary
	}
	sm.headCRC, sm.retroCRC, sm.updatesCRC = uint32(d.uint()), uint32(d.uint()), uint32(d.uint())
	sm.id = d.int()
	sm.uid = d.str()
	sm.title = d.str()
	sm.severity = d.int()
	sm.status = d.str()
	sm.cadence = d.int()
	sm.created = d.time()
	sm.updated = d.time()
	sm.entries = d.int()
	sm.timeline = d.uint()
	sm.retroStatus = d.str()
	hasTags := d.bool()
	if n := d.count(); n > 0 || hasTags {
		sm.tags = make([]string, n)
		for i := range sm.tags {
			sm.tags[i] = d.str()
		}
	}
	if n := d.count(); n > 0 {
		sm.milestones = make([]milestoneAt, n)
		for i := range sm.milestones {
			sm.milestones[i] = milestoneAt{d.str(), d.time()}
		}
	}
	sm.headText = d.text(texts)
	if n := d.count(); n > 0 {
		sm.updates = make([]time.Time, n)
		for i := range sm.updates {
			sm.updates[i] = d.time()
		}
	}
	sm.updatesText = d.text(texts)
	if n := d.count(); n > 0 {
		sm.actions = make([]incident.Action, n)
		for i := range sm.actions {
			a := &sm.actions[i]
			a.Title, a.Kind, a.Owner, a.Due, a.Done = d.str(), incident.ActionKind(d.str()), d.str(), d.time(), d.bool()
		}
	}
	sm.retroText = d.text(texts)
	if d.bad || len(d.b) != 0 {
		return summary{}, errSummary
	}
	return sm, nil
}

type enc struct{ b []byte }

func (e *enc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *enc) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// Tags of a time's form.
const (
	timeZero = iota
	timeUTC
	timeText
)

func (e *enc) time(t time.Time) {
	switch {
	case t.IsZero():
		e.b = append(e.b, timeZero)
	case t.Location() == time.UTC && t.Year() > 1700 && t.Year() < 2200:
		e.b = append(e.b, timeUTC)
		e.int(t.UnixNano())
	default:
		// Another zone: the text keeps it as JSON would.
		text, _ := t.MarshalText()
		e.b = append(e.b, timeText)
		e.str(string(text))
	}
}

type dec struct {
	b   []byte
	bad bool
}

func (d *dec) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.bad, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count is a list's length, no more than the bytes left could hold.
func (d *dec) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.bad, d.b = true, nil
		return 0
	}
	return int(n)
}

func (d *dec) str() string {
	n := d.count()
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// text is str, or "" without a copy when the caller does not want it.
func (d *dec) text(want bool) string {
	if want {
		return d.str()
	}
	n := d.count()
	d.b = d.b[n:]
	return ""
}

func (d *dec) bool() bool {
	if len(d.b) == 0 {
		d.bad = true
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}

func (d *dec) time() time.Time {
	if len(d.b) == 0 {
		d.bad = true
		return time.Time{}
	}
	tag := d.b[0]
	d.b = d.b[1:]
	switch tag {
	case timeZero:
		return time.Time{}
	case timeUTC:
		return time.Unix(0, d.int()).UTC()
	case timeText:
		var t time.Time
		if err := t.UnmarshalText([]byte(d.str())); err != nil {
			d.bad = true
		}
		return t
	}
	d.bad = true
	return time.Time{}
}

// eachSummary calls fn with every incident's summary, in creation order or
// newest first. ok is false when the database keeps no summaries (a file
// opened read-only before its migration to schema 5; Open migrates) or not
// one for every incident (a damaged file; check names it): the caller then
// reads the incidents themselves.
func eachSummary(tx *bolt.Tx, newestFirst bool, fn func(sm *summary)) (ok bool, err error) {
	sb := tx.Bucket(bucketSummaries)
	if sb == nil {
		return false, nil
	}
	c := sb.Cursor()
	next, k, v := c.Next, []byte(nil), []byte(nil)
	if newestFirst {
		next = c.Prev
		k, v = c.Last()
	} else {
		k, v = c.First()
	}
	n := 0
	for ; k != nil; k, v = next() {
		sm, err := decodeSummaryOf(v, false)
		if err != nil {
			return true, fmt.Errorf("the summary of incident %x is damaged; run warroom check: %w", k, ErrCorrupt)
		}
		fn(&sm)
		n++
	}
	return n == incidentCount(tx), nil
}

// incidentCount is the number of incidents. They take their ids from the
// incidents bucket's sequence and none is ever removed, so that is their
// number when the last id is the sequence; a file where it is not (made
// by hand) is counted.
func incidentCount(tx *bolt.Tx) int {
	root := tx.Bucket(bucketIncidents)
	if root == nil {
		return 0
	}
	if k, _ := root.Cursor().Last(); len(k) == 8 && binary.BigEndian.Uint64(k) == root.Sequence() {
		return int(root.Sequence())
	}
	n := 0
	eachIncident(tx, false, func(*bolt.Bucket) { n++ })
	return n
}

// listed is the incident a list shows, from its summary.
func (sm *summary) listed() Summary {
	inc := &incident.Incident{
		ID: sm.id, Title: sm.title, Severity: incident.Severity(sm.severity), Status: incident.Status(sm.status),
		Cadence: time.Duration(sm.cadence), Created: sm.created, Updated: sm.updated, Tags: sm.tags,
	}
	if len(sm.milestones) > 0 {
		inc.Milestones = make(map[incident.Milestone]time.Time, len(sm.milestones))
		for _, m := range sm.milestones {
			inc.Milestones[incident.Milestone(m.name)] = m.at
		}
	}
	return Summary{Incident: inc, EntryCount: int(sm.entries)}
}

// exportStamp is the incident's stamp for export --all (see
// IncidentsForExportIf): the sums of its head, retro, public updates and
// timeline, and its number of entries.
func (sm *summary) exportStamp() string {
	return fmt.Sprintf("s%08x%08x%08x-%016x-%x", sm.headCRC, sm.retroCRC, sm.updatesCRC, sm.timeline, sm.entries)
}

// exported is the incident as export --all's index needs it when no file
// is written again: listed's fields, the uid, the public updates' times
// and the retro's status and actions.
func (sm *summary) exported() *incident.Incident {
	inc := sm.listed().Incident
	inc.UID = sm.uid
	if len(sm.updates) > 0 {
		inc.Updates = make([]incident.Update, len(sm.updates))
		for i, at := range sm.updates {
			inc.Updates[i].At = at
		}
	}
	inc.Retro.Status = incident.RetroStatus(sm.retroStatus)
	inc.Retro.Actions = sm.actions
	return inc
}

// IncidentsForExportLight is IncidentsForExportIf for a folder where
// nothing may have changed: when need is false for every incident, it
// returns them as their summaries have them (exported: enough for the
// index, not for a Markdown file or the feed) without decoding any record,
// and light is true. Otherwise it is IncidentsForExportIf.
func (s *Store) IncidentsForExportLight(need func(uid, stamp string) bool) (incs []*incident.Incident, stamps []string, light bool, err error) {
	var ok bool
	err = s.view(func(tx *bolt.Tx) error {
		stale := false
		all, err := eachSummary(tx, false, func(sm *summary) {
			if stale {
				return
			}
			stamp := sm.exportStamp()
			if sm.uid == "" || need(sm.uid, stamp) {
				stale = true
				return
			}
			incs = append(incs, sm.exported())
			stamps = append(stamps, stamp)
		})
		ok = err == nil && all && !stale
		return nil
	})
	if err != nil {
		return nil, nil, false, err
	}
	if ok {
		return incs, stamps, true, nil
	}
	incs, stamps, err = s.IncidentsForExportIf(need)
	return incs, stamps, false, err
}

// ListSummaries is ListIncidents for what `warroom list` prints: each
// incident's id, title, severity, status, cadence, times, tags,
// milestones and number of entries, newest first, read from the summaries
// without decoding a head. Nothing else of the incident is filled in.
func (s *Store) ListSummaries() ([]Summary, error) {
	var out []Summary
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		ok, err = eachSummary(tx, true, func(sm *summary) { out = append(out, sm.listed()) })
		return err
	})
	if err == nil && !ok {
		return s.ListIncidents()
	}
	return out, err
}

// StatsIncidents returns, in creation order, what `warroom stats`
// computes from (export.ComputeStats): each incident's id, severity,
// status, cadence, times, tags and milestones, its public updates' times
// (no text) and its retro's actions (title, kind, owner, due, done), read
// from the summaries.
func (s *Store) StatsIncidents() ([]*incident.Incident, error) {
	var out []*incident.Incident
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		ok, err = eachSummary(tx, false, func(sm *summary) {
			inc := sm.listed().Incident
			if len(sm.updates) > 0 {
				inc.Updates = make([]incident.Update, len(sm.updates))
				for i, at := range sm.updates {
					inc.Updates[i].At = at
				}
			}
			inc.Retro.Actions = sm.actions
			out = append(out, inc)
		})
		return err
	})
	if err == nil && !ok {
		return s.IncidentHeads()
	}
	return out, err
}

// IncidentsMatching returns the incidents where `warroom search` can find
// query, as IncidentsForSearch reads them (head, retro, updates and the
// entries mayMatch accepts), and the number of incidents searched. An
// incident is read only when its summary's text holds the query or one of
// its entries passes mayMatch: the others could give no hit, and cost a
// look at their summary and their entries' bytes.
func (s *Store) IncidentsMatching(query string, mayMatch func(entry []byte) bool) (incs []*incident.Incident, total int, err error) {
	q := incident.SearchFold(strings.TrimSpace(incident.CleanLine(query)))
	var raws []rawIncident
	var ok bool
	err = s.view(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketIncidents)
		sb := tx.Bucket(bucketSummaries)
		if root == nil || sb == nil || tx.Bucket(bucketEntryText) == nil {
			return nil
		}
		ok = true
		inText := incidentsWithText(tx, q)
		c := sb.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			total++
			if q == "" {
				continue
			}
			b := root.Bucket(k)
			if b == nil {
				continue
			}
			sm, err := decodeSummary(v)
			if err != nil {
				return fmt.Errorf("the summary of incident %x is damaged; run warroom check: %w", k, ErrCorrupt)
			}
			if !inText[string(k)] && !strings.Contains(sm.headText, q) && !strings.Contains(sm.updatesText, q) && !strings.Contains(sm.retroText, q) {
				continue
			}
			var r rawIncident
			if eb := b.Bucket(bucketEntries); eb != nil {
				_ = eb.ForEach(func(_, v []byte) error {
					if mayMatch == nil || mayMatch(recordJSON(v)) {
						r.entries = append(r.entries, bytes.Clone(v))
					}
					return nil
				})
			}
			r.head, r.retro = bytes.Clone(b.Get(keyHead)), bytes.Clone(b.Get(keyRetro))
			if ub := b.Bucket(bucketUpdates); ub != nil {
				_ = ub.ForEach(func(_, v []byte) error {
					r.updates = append(r.updates, bytes.Clone(v))
					return nil
				})
			}
			raws = append(raws, r)
		}
		// A summary missing (a damaged file) could hide a hit.
		ok = total == incidentCount(tx)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		all, err := s.IncidentsForSearch(mayMatch)
		return all, len(all), err
	}
	incs, err = decodeIncidents(raws)
	return incs, total, err
}
