package incident

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// AlertOrigin says where an incident declared from an alert came from
// (product.md §9): the cockpit shows it ("from alert payments-5xx ·
// alertmanager") and later payloads of the same dedup key find the
// incident by it. It travels on the declaration, so it is part of the fold.
type AlertOrigin struct {
	Source   string `json:"source"`            // alertmanager, grafana, pagerduty or cdevents
	Name     string `json:"name,omitzero"`     // the alert's name (alertname, class, subject)
	Key      string `json:"key"`               // the dedup key: group key, dedup_key, subject id
	Receiver string `json:"receiver,omitzero"` // the Alertmanager receiver or sender, when named
}

// AlertAuthorPrefix starts the author of every entry an alert wrote
// ("alert:warroom", "alert:pagerduty"): how screens tell alert entries
// from people's.
const AlertAuthorPrefix = "alert:"

// IsAlertEntry reports whether an alert wrote e.
func IsAlertEntry(e Entry) bool { return strings.HasPrefix(e.Author, AlertAuthorPrefix) }

// AlertUID is a uid derived from what it names, so that the same alert
// received twice, in one database or on two laptops, makes the same
// incident, entry or operation: the union of operations then keeps one.
// It starts with "a" (legacy ids start with "l", random ones are hex).
func AlertUID(parts ...any) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%v\x00", p)
	}
	return "a" + hex.EncodeToString(h.Sum(nil))[:31]
}

// alertClock is the clock of an operation an alert made: its time in
// milliseconds, the same wherever it is received (a hybrid clock read off
// this machine would differ per laptop and make one alert two operations).
func alertClock(at time.Time) uint64 {
	if ms := at.UnixMilli(); ms > 0 {
		return uint64(ms)
	}
	return 1
}

// AlertCreateOps are the operations that declare an incident from an
// alert: its creation and its declaration entry. Everything in them comes
// from the alert and the config, so two receivers of one alert make the
// same operations; where their configs differ (retro sections, severity
// mapping) the ids differ too and a merge keeps both rather than refusing
// the record.
func AlertCreateOps(uid string, created time.Time, sections []string, decl Entry) []Op {
	created = created.UTC()
	c := CreateOp(uid, created, sections)
	c.Clock = alertClock(created)
	c.Author = decl.Author
	c.ID = AlertUID(uid, OpCreate, c.Value)
	return []Op{c, AlertEntryOp(decl)}
}

// AlertEntryOp is the operation that adds an entry an alert wrote. Its id
// is derived from the whole entry: the same entry is the same operation.
//
// Entries an alert writes at one time keep the order of their kinds (the
// declaration, its labels, links, then the alerts' news) through the
// clock: a few milliseconds after the time, by Seq, the same everywhere.
func AlertEntryOp(e Entry) Op {
	e.At, e.RecordedAt = e.At.UTC(), e.RecordedAt.UTC()
	body, _ := json.Marshal(e)
	clock := alertClock(e.RecordedAt) + alertRank(e)
	return Op{
		ID: AlertUID(e.UID, OpEntryAdd, clock, string(body)), Type: OpEntryAdd, Entry: &e,
		Clock: clock, At: e.RecordedAt, Author: e.Author,
	}
}

// alertRank orders the entries an alert writes at one time (see
// AlertEntryOp); the rank is in the entry's key: "alert:<rank>:...".
func alertRank(e Entry) uint64 {
	if e.Set.Field == FieldDeclared {
		return 0
	}
	if rest, ok := strings.CutPrefix(e.Key, AlertAuthorPrefix); ok && len(rest) > 1 && rest[0] >= '0' && rest[0] <= '9' && rest[1] == ':' {
		return uint64(rest[0] - '0')
	}
	return 9
}

func sameAlert(a, b *AlertOrigin) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// AlertBatch is what one alert payload asks of the store, for one dedup
// key: the incident to declare when no open incident has the key, and the
// entries to append. Every entry carries its Key (the alert's identity:
// source, dedup key, fingerprint, status, time), which the store records
// once per incident, so a resent payload appends nothing.
type AlertBatch struct {
	Origin AlertOrigin `json:"origin"`
	// Declare is the incident the batch declares, nil when nothing in it
	// fires (a resolution with no open incident declares nothing).
	Declare *AlertDeclare `json:"declare,omitzero"`
	// Entries are appended in this order, each once per incident.
	Entries []Entry `json:"entries,omitzero"`
	// Resolved is set when every alert of the group has resolved.
	Resolved bool `json:"resolved,omitzero"`
	// Firing names the alerts that fire in this payload, for a pending
	// alert's summary.
	Firing []string `json:"firing,omitzero"`
}

// AlertDeclare is an incident as an alert declares it.
type AlertDeclare struct {
	UID      string    `json:"uid"`
	Title    string    `json:"title"`
	Severity Severity  `json:"severity"`
	Tags     []string  `json:"tags,omitzero"`
	Created  time.Time `json:"created"`
	Sections []string  `json:"sections,omitzero"`
	Author   string    `json:"author"`
	// Opening are the entries it starts with: the declaration first
	// (FieldDeclared), then the alert's labels.
	Opening []Entry `json:"opening,omitzero"`
}

// Ops are the operations of the batch's declaration and of the given
// entries (those not yet recorded).
func (d *AlertDeclare) Ops() []Op {
	ops := AlertCreateOps(d.UID, d.Created, d.Sections, d.Opening[0])
	for _, e := range d.Opening[1:] {
		ops = append(ops, AlertEntryOp(e))
	}
	return ops
}
