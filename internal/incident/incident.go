// Package incident is warroom's domain: incidents, their timeline, public
// updates and retrospective, plus the pure rules around them (the capture-line
// parser, milestones and metrics, update cadence, status templates and the
// jargon check).
//
// It performs no I/O and reads no clock: every function that needs "now" takes
// it as an argument, so the store, the command line and the cockpit can share
// the rules and tests can pin time.
package incident

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Severity is SEV1 (worst) to SEV4.
type Severity int

// Severity bounds.
const (
	SevMin Severity = 1
	SevMax Severity = 4
)

func (s Severity) String() string { return "SEV" + strconv.Itoa(int(s)) }

// Valid reports whether s is between SEV1 and SEV4.
func (s Severity) Valid() bool { return s >= SevMin && s <= SevMax }

// ParseSeverity accepts "2", "sev2" or "SEV2".
func ParseSeverity(s string) (Severity, error) {
	t := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "sev")
	n, err := strconv.Atoi(t)
	if err != nil || !Severity(n).Valid() {
		return 0, fmt.Errorf("severity %q is not valid; use a number from 1 (worst) to 4", s)
	}
	return Severity(n), nil
}

// Status is where the incident stands. Any order of changes is allowed.
type Status string

// The statuses, in their usual order.
const (
	Investigating Status = "investigating"
	Identified    Status = "identified"
	Monitoring    Status = "monitoring"
	Resolved      Status = "resolved"
)

// Statuses lists every status in its usual order.
var Statuses = []Status{Investigating, Identified, Monitoring, Resolved}

// ParseStatus accepts a status name or an unambiguous prefix of one.
func ParseStatus(s string) (Status, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return "", fmt.Errorf("status is empty; use one of %s", joinStatuses())
	}
	var found []Status
	for _, st := range Statuses {
		if string(st) == t {
			return st, nil
		}
		if strings.HasPrefix(string(st), t) {
			found = append(found, st)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return "", fmt.Errorf("status %q is not known; use one of %s", s, joinStatuses())
}

func joinStatuses() string {
	names := make([]string, len(Statuses))
	for i, s := range Statuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// Kind is the kind of a timeline entry.
type Kind string

// The entry kinds.
const (
	KindNote      Kind = "note"
	KindAction    Kind = "action"
	KindDecision  Kind = "decision"
	KindQuestion  Kind = "question"
	KindMilestone Kind = "milestone"
	KindStatus    Kind = "status"
	KindRole      Kind = "role"
	KindPublic    Kind = "public"
	KindSystem    Kind = "system"
	// KindHandover is the brief written when a role is handed over.
	KindHandover Kind = "handover"
)

// Kinds lists every entry kind.
var Kinds = []Kind{KindNote, KindAction, KindDecision, KindQuestion, KindMilestone, KindStatus, KindRole, KindPublic, KindSystem, KindHandover}

// Milestone names a moment in the incident's life.
type Milestone string

// The milestones in the order they should happen.
const (
	Started      Milestone = "started"
	Detected     Milestone = "detected"
	Acknowledged Milestone = "acknowledged"
	Mitigated    Milestone = "mitigated"
	MResolved    Milestone = "resolved"
)

// Milestones lists the milestones in the order they should happen.
var Milestones = []Milestone{Started, Detected, Acknowledged, Mitigated, MResolved}

// Role names used by the handbook. More roles can be added by name.
const (
	RoleLead  = "resolution lead"
	RoleComms = "communication lead"
)

// Incident is one incident with everything recorded about it.
type Incident struct {
	ID       int64    `json:"id,omitzero"`  // from the store's sequence; shown as INC-n
	UID      string   `json:"uid,omitzero"` // globally unique, so imports can merge copies
	Title    string   `json:"title,omitzero"`
	Severity Severity `json:"severity,omitzero"`
	Status   Status   `json:"status,omitzero"`
	// Roles maps a role name ("resolution lead") to a person.
	Roles         map[string]string `json:"roles,omitzero"`
	WarRoom       string            `json:"war_room,omitzero"`
	PublicChannel string            `json:"public_channel,omitzero"`
	// Cadence is the time between public updates.
	Cadence time.Duration `json:"cadence,omitzero"`
	ETA     time.Time     `json:"eta,omitzero"`
	Tags    []string      `json:"tags,omitzero"`
	Created time.Time     `json:"created,omitzero"`
	Updated time.Time     `json:"updated,omitzero"`
	// Alert is where the incident came from when an alert declared it
	// (folded from the declaration; see alert.go).
	Alert *AlertOrigin `json:"alert,omitzero"`
	// Milestones holds the time of each milestone reached.
	Milestones map[Milestone]time.Time `json:"milestones,omitzero"`
	// MilestoneEntries names the entry that set each milestone, so that
	// setting a milestone again moves that entry rather than adding one.
	MilestoneEntries map[Milestone]int64 `json:"milestone_entries,omitzero"`
	// NextUpdateDue overrides the computed due time of the next public
	// update after a /snooze; it is cleared by publishing.
	NextUpdateDue time.Time `json:"next_update_due,omitzero"`
	// Draft is the public update being written, and DraftRev its revision
	// (see Revised), so an edit made on a stale copy is merged, not lost.
	Draft    string `json:"draft,omitzero"`
	DraftRev int64  `json:"draft_rev,omitzero"`
	// DraftBy is who last changed the draft.
	DraftBy string `json:"draft_by,omitzero"`

	Entries []Entry  `json:"entries,omitzero"`
	Updates []Update `json:"updates,omitzero"`
	Retro   Retro    `json:"retro,omitzero"`
	// Changes records every edit and deletion: who, when, what before and
	// after (product.md §1a).
	Changes []Change `json:"changes,omitzero"`
	// Ops are the operations the incident is the fold of, when read for
	// an export or brought in by an import (see ops.go).
	Ops []Op `json:"-"`
}

// Change is one recorded edit or deletion.
type Change struct {
	At     time.Time `json:"at"`
	Author string    `json:"author"`
	// Target names what changed: "entry #12", "draft", "retro section
	// Introduction", "why 2", "action <uid>".
	Target string `json:"target"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Key returns the displayed id, e.g. "INC-7".
func (inc *Incident) Key() string { return FormatID(inc.ID) }

// FormatID renders an incident number as "INC-n".
func FormatID(id int64) string { return "INC-" + strconv.FormatInt(id, 10) }

// ParseID accepts "INC-7", "inc-7" or "7".
func ParseID(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if len(t) > 4 && strings.EqualFold(t[:4], "INC-") {
		t = t[4:]
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not an incident id; use INC-7, inc-7 or 7", s)
	}
	return n, nil
}

// Open reports whether the incident is not resolved.
func (inc *Incident) Open() bool { return inc.Status != Resolved }

// Role returns the person in a role, or "".
func (inc *Incident) Role(name string) string { return inc.Roles[name] }

// RoleNames returns the incident's roles, the handbook's two first.
func (inc *Incident) RoleNames() []string {
	names := make([]string, 0, len(inc.Roles))
	for r := range inc.Roles {
		if r != RoleLead && r != RoleComms {
			names = append(names, r)
		}
	}
	slices.Sort(names)
	var head []string
	for _, r := range []string{RoleLead, RoleComms} {
		if _, ok := inc.Roles[r]; ok {
			head = append(head, r)
		}
	}
	return append(head, names...)
}

// HasTag reports whether the incident carries tag (case-insensitive).
func (inc *Incident) HasTag(tag string) bool {
	for _, t := range inc.Tags {
		if strings.EqualFold(t, tag) {
			return true
		}
	}
	return false
}

// VisibleEntries returns the entries that are not deleted, in time order.
func (inc *Incident) VisibleEntries() []Entry {
	out := make([]Entry, 0, len(inc.Entries))
	for _, e := range inc.Entries {
		if !e.Deleted {
			out = append(out, e)
		}
	}
	SortEntries(out)
	return out
}

// Entry is one line of the timeline.
type Entry struct {
	ID  int64  `json:"id,omitzero"`  // per-incident sequence
	UID string `json:"uid,omitzero"` // globally unique, for merging imports
	// At is when it happened; it can be backdated and edited.
	At time.Time `json:"at,omitzero"`
	// RecordedAt is when it was typed.
	RecordedAt time.Time `json:"recorded_at,omitzero"`
	Author     string    `json:"author,omitzero"`
	Kind       Kind      `json:"kind,omitzero"`
	Text       string    `json:"text,omitzero"`
	Starred    bool      `json:"starred,omitzero"`
	// EditedAt is the last edit, so that merges let newer edits win, and
	// EditedBy who made it.
	EditedAt time.Time `json:"edited_at,omitzero"`
	EditedBy string    `json:"edited_by,omitzero"`
	// Set is what the entry sets on the incident (status, a milestone...);
	// the incident's fields are the fold of these (see Fold).
	Set Setting `json:"set,omitzero"`
	// Ref is the entry a deletion or restore entry is about.
	Ref int64 `json:"ref,omitzero"`
	// Deleted entries are kept so the deletion is on record and merges do
	// not bring them back.
	Deleted bool `json:"deleted,omitzero"`
	// Key is the idempotency key a script gave (warroom log --id): the
	// store records a key once per incident, so a retried write is a no-op.
	Key string `json:"key,omitzero"`
	// Seq is the clock of the operation that added the entry: entries at
	// one time are in the order recorded, the same on every copy.
	Seq uint64 `json:"seq,omitzero"`
	// Redacted entries had their text removed for good.
	Redacted bool `json:"redacted,omitzero"`
}

// SortEntries orders entries by the time they happened, then by id.
func SortEntries(es []Entry) { slices.SortStableFunc(es, entryOrder) }

// Delivery is the state of one update on one target.
type Delivery struct {
	Target   string        `json:"target,omitzero"` // "clipboard" or a webhook URL
	State    DeliveryState `json:"state,omitzero"`
	Error    string        `json:"error,omitzero"`
	Attempts int           `json:"attempts,omitzero"`
	At       time.Time     `json:"at,omitzero"`
	// Owner names the process holding a pending delivery's lease (host,
	// pid and start time), so a process on the same host can tell that
	// it died without waiting for the lease to run out.
	Owner string `json:"owner,omitzero"`
}

// DeliveryState says how delivery of an update to a target went.
type DeliveryState string

// Delivery states.
const (
	DeliveryPending DeliveryState = "pending"
	DeliveryCopied  DeliveryState = "copied"
	DeliverySent    DeliveryState = "sent"
	DeliveryFailed  DeliveryState = "failed"
	// DeliveryUnknown is an attempt whose outcome nobody knows: the
	// request went out and no answer came (a timeout after sending, or
	// the process died while sending). It may have arrived, so it is sent
	// again only when a person asks, or to a target that drops repeats.
	DeliveryUnknown DeliveryState = "unknown"
)

// Update is a published public update.
type Update struct {
	ID       int64      `json:"id,omitzero"`
	UID      string     `json:"uid,omitzero"`
	At       time.Time  `json:"at,omitzero"` // published at
	Author   string     `json:"author,omitzero"`
	Status   Status     `json:"status,omitzero"` // the phase it was published in
	Text     string     `json:"text,omitzero"`
	Delivery []Delivery `json:"delivery,omitzero"`
	// Backfilled updates were published in the past and recorded later
	// (a backfill of a past incident): shown as such, never delivered.
	Backfilled bool `json:"backfilled,omitzero"`
	// Seq is the clock of the operation that published it: updates at one
	// time are in the order published, the same on every copy.
	Seq uint64 `json:"seq,omitzero"`
}

// Retro is the retrospective.
type Retro struct {
	Status   RetroStatus `json:"status,omitzero"`
	Sections []Section   `json:"sections,omitzero"`
	Whys     []Why       `json:"whys,omitzero"`
	// Factors are the contributing factors beside the chain (factors.go).
	Factors []Factor `json:"factors,omitzero"`
	Actions []Action `json:"actions,omitzero"`
	// Review holds the review meeting's comments (review.go).
	Review []ReviewComment `json:"review,omitzero"`
	// Due overrides the computed due time (resolved + retro_due_after).
	Due time.Time `json:"due,omitzero"`
	// DeletedBy names who deleted each why, factor or action (by uid),
	// so that a form saved over one deleted meanwhile can say who.
	DeletedBy map[string]string `json:"deleted_by,omitzero"`
}

// deleter names who deleted the item uid, or "someone else".
func (r *Retro) deleter(uid, me string) string {
	return orSomeoneElse(r.DeletedBy[uid], me)
}

// RetroStatus is draft or final.
type RetroStatus string

// Retro statuses.
const (
	RetroDraft RetroStatus = "draft"
	RetroFinal RetroStatus = "final"
)

// Section is one part of the retro template.
type Section struct {
	Title        string    `json:"title,omitzero"`
	Text         string    `json:"text,omitzero"`
	Contributors []string  `json:"contributors,omitzero"`
	Edited       time.Time `json:"edited,omitzero"`
	// Rev counts the changes of Text, so that a save made on a stale copy
	// is merged rather than written over a teammate's words; EditedBy is
	// who made the last one.
	Rev      int64  `json:"rev,omitzero"`
	EditedBy string `json:"edited_by,omitzero"`
	// Perspectives are each person's own view of the section, in the
	// order first written: one per author, never written by anyone else
	// (the handbook asks everyone involved for theirs); Text is the
	// synthesis anyone may edit.
	Perspectives []Perspective `json:"perspectives,omitzero"`
}

// Perspective is one person's view in a retro section.
type Perspective struct {
	Author string    `json:"author"`
	Text   string    `json:"text"`
	Edited time.Time `json:"edited"`
}

// AddContributor records who changed something, once.
func AddContributor(list []string, who string) []string {
	if who == "" || slices.Contains(list, who) {
		return list
	}
	return append(list, who)
}

// Why is one step in the five-whys chain.
type Why struct {
	// UID finds the step again after a teammate reorders the chain.
	UID       string `json:"uid,omitzero"`
	Why       string `json:"why,omitzero"`
	Because   string `json:"because,omitzero"`
	RootCause bool   `json:"root_cause,omitzero"`
	Author    string `json:"author,omitzero"`
	// EditedBy is who last changed it, so a notice can name them.
	EditedBy string `json:"edited_by,omitzero"`
}

// ActionKind says whether an action is immediate or long-term.
type ActionKind string

// Action kinds.
const (
	Immediate ActionKind = "immediate"
	LongTerm  ActionKind = "long-term"
)

// Action is a follow-up item from the retro.
type Action struct {
	UID    string     `json:"uid,omitzero"`
	Title  string     `json:"title,omitzero"`
	Kind   ActionKind `json:"kind,omitzero"`
	Owner  string     `json:"owner,omitzero"`
	Due    time.Time  `json:"due,omitzero"`
	Done   bool       `json:"done,omitzero"`
	Link   string     `json:"link,omitzero"`
	Author string     `json:"author,omitzero"`
	// Addresses is the uid of the contributing factor or five-whys step
	// the action addresses, "" for none.
	Addresses string `json:"addresses,omitzero"`
	// EditedBy is who last changed it, so a notice can name them.
	EditedBy string `json:"edited_by,omitzero"`
}

// Overdue reports whether an open action is past its due date.
func (a Action) Overdue(now time.Time) bool {
	return !a.Done && !a.Due.IsZero() && now.After(a.Due)
}

// DefaultSections are the handbook's retro template.
var DefaultSections = []string{"Introduction", "Timeline", "Five whys", "Actions"}

// RetroPresets are named section lists offered by the config.
var RetroPresets = map[string][]string{
	"handbook":   DefaultSections,
	"google-sre": {"Introduction", "Timeline", "Five whys", "Actions", "What went well", "What went wrong", "Where we got lucky"},
	"pagerduty":  {"Introduction", "Timeline", "Five whys", "Actions", "Impact", "Contributing factors", "Messaging", "What went well"},
}
