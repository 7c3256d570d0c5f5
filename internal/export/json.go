package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// FormatVersion is the version of the JSON document this code writes. ParseJSON
// reads every version up to it and refuses newer ones, so an old warroom never
// half-imports a document it does not understand.
const FormatVersion = 1

// Doc is the versioned JSON form of a whole incident: what `warroom show
// --json` prints, what `warroom export --format json` writes and what
// `warroom import` reads. Field names are snake_case and form a stable
// interface (product.md §2); fields are only ever added.
//
// Times are RFC 3339 (with fractional seconds when the recorded time has
// them, so edit times survive a round trip and merges can tell which edit
// is newer). The uid fields let an import merge copies of the same incident.
type Doc struct {
	FormatVersion int               `json:"format_version"`
	ID            string            `json:"id"` // "INC-7" in the database it came from
	UID           string            `json:"uid"`
	Title         string            `json:"title"`
	Severity      string            `json:"severity"` // "SEV2"
	Status        string            `json:"status"`
	Roles         map[string]string `json:"roles"`
	WarRoom       string            `json:"war_room"`
	PublicChannel string            `json:"public_channel"`
	// Cadence is the public update cadence as a Go duration ("30m0s").
	Cadence string     `json:"cadence"`
	ETA     *time.Time `json:"eta"`
	Tags    []string   `json:"tags"`
	// Alert says where an incident declared from an alert came from
	// (source, name, key, receiver). Informational: the ops carry it.
	Alert         *incident.AlertOrigin `json:"alert,omitzero"`
	Created       time.Time             `json:"created"`
	Updated       time.Time             `json:"updated"`
	Milestones    map[string]time.Time  `json:"milestones"`
	NextUpdateDue *time.Time            `json:"next_update_due"`
	Draft         string                `json:"draft"`
	// Metrics are derived from the milestones, in whole seconds; only the
	// known ones appear. Informational: ParseJSON ignores them.
	Metrics map[string]int64 `json:"metrics"`
	Entries []DocEntry       `json:"entries"`
	Updates []DocUpdate      `json:"updates"`
	Retro   DocRetro         `json:"retro"`
	Changes []DocChange      `json:"changes"`
	// Ops are the operations the incident is the fold of (in a backup
	// or a teammate's copy: export --format json). An import takes their
	// union with its own; the fields above are then only informational.
	Ops []incident.Op `json:"ops,omitzero"`
}

// DocEntry is one timeline entry. Deleted entries are included with
// deleted set, so that a merge does not bring them back.
type DocEntry struct {
	ID         int64      `json:"id"`
	UID        string     `json:"uid"`
	At         time.Time  `json:"at"`
	RecordedAt time.Time  `json:"recorded_at"`
	Author     string     `json:"author"`
	Kind       string     `json:"kind"`
	Text       string     `json:"text"`
	Starred    bool       `json:"starred"`
	EditedAt   *time.Time `json:"edited_at"`
	EditedBy   string     `json:"edited_by"`
	Deleted    bool       `json:"deleted"`
	// Set is what the entry sets on the incident (status, a milestone…):
	// the incident's fields are the fold of these, so an import takes its
	// fields from the timeline. Null for notes.
	Set *incident.Setting `json:"set"`
	// Ref is the entry a deletion or restoration entry is about.
	Ref int64 `json:"ref,omitempty"`
}

// DocChange is one recorded edit or deletion: who, when, what it was
// before and after.
type DocChange struct {
	At     time.Time `json:"at"`
	Author string    `json:"author"`
	Target string    `json:"target"`
	Before string    `json:"before"`
	After  string    `json:"after"`
}

// DocUpdate is one published public update.
type DocUpdate struct {
	ID       int64         `json:"id"`
	UID      string        `json:"uid"`
	At       time.Time     `json:"at"`
	Author   string        `json:"author"`
	Status   string        `json:"status"`
	Text     string        `json:"text"`
	Delivery []DocDelivery `json:"delivery"`
	// Backfilled updates were published in the past and recorded later;
	// they were never delivered.
	Backfilled bool `json:"backfilled"`
}

// DocDelivery is the delivery state of an update on one target.
type DocDelivery struct {
	Target   string     `json:"target"`
	State    string     `json:"state"`
	Error    string     `json:"error"`
	Attempts int        `json:"attempts"`
	At       *time.Time `json:"at"`
}

// DocRetro is the retrospective. Due is the effective due time: the one set
// on the retro, else the resolved milestone plus retro_due_after, else null.
type DocRetro struct {
	Status   string       `json:"status"`
	Due      *time.Time   `json:"due"`
	Sections []DocSection `json:"sections"`
	Whys     []DocWhy     `json:"whys"`
	Factors  []DocFactor  `json:"factors"`
	Actions  []DocAction  `json:"actions"`
	Review   []DocReview  `json:"review"`
	// DueSet reports whether Due was set on the retro rather than computed,
	// so an import keeps a computed due time computed.
	DueSet bool `json:"due_set"`
}

// DocSection is one retro section: the synthesis (text) and each person's
// own perspective.
type DocSection struct {
	Title        string           `json:"title"`
	Text         string           `json:"text"`
	Contributors []string         `json:"contributors"`
	Edited       *time.Time       `json:"edited"`
	Perspectives []DocPerspective `json:"perspectives"`
}

// DocPerspective is one person's perspective in a section.
type DocPerspective struct {
	Author string    `json:"author"`
	Text   string    `json:"text"`
	Edited time.Time `json:"edited"`
}

// DocWhy is one step of the five-whys chain.
type DocWhy struct {
	// UID names the step in every copy: why edit takes it.
	UID       string `json:"uid"`
	Why       string `json:"why"`
	Because   string `json:"because"`
	RootCause bool   `json:"root_cause"`
	Author    string `json:"author"`
}

// DocFactor is one contributing factor beside the five whys. Evidence
// links timeline entries by uid; id is the entry's number in this database
// (0 when the entry is not in it) and deleted says the entry was deleted.
type DocFactor struct {
	UID      string        `json:"uid"`
	Cause    string        `json:"cause"`
	Lucky    bool          `json:"lucky"`
	Author   string        `json:"author"`
	Evidence []DocEvidence `json:"evidence"`
}

// DocEvidence is one timeline entry linked to a factor.
type DocEvidence struct {
	UID     string `json:"uid"`
	ID      int64  `json:"id"`
	Deleted bool   `json:"deleted"`
}

// DocReview is one comment from the review meeting.
type DocReview struct {
	UID     string    `json:"uid"`
	At      time.Time `json:"at"`
	Author  string    `json:"author"`
	Section string    `json:"section"`
	Text    string    `json:"text"`
}

// DocAction is one retro action item.
type DocAction struct {
	UID    string     `json:"uid"`
	Title  string     `json:"title"`
	Kind   string     `json:"kind"` // "immediate" or "long-term"
	Owner  string     `json:"owner"`
	Due    *time.Time `json:"due"`
	Done   bool       `json:"done"`
	Link   string     `json:"link"`
	Author string     `json:"author"`
	// Addresses is the uid of the factor or why the action addresses.
	Addresses string `json:"addresses"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// NewDoc builds the JSON document of inc. Entries come out in time order.
func NewDoc(inc *incident.Incident, p incident.Policy) Doc {
	d := Doc{
		FormatVersion: FormatVersion,
		ID:            inc.Key(),
		UID:           inc.UID,
		Title:         inc.Title,
		Severity:      inc.Severity.String(),
		Status:        string(inc.Status),
		Roles:         map[string]string{},
		WarRoom:       inc.WarRoom,
		PublicChannel: inc.PublicChannel,
		ETA:           timePtr(inc.ETA),
		Tags:          nonNil(slices.Clone(inc.Tags)),
		Alert:         inc.Alert,
		Created:       inc.Created,
		Updated:       inc.Updated,
		Milestones:    map[string]time.Time{},
		NextUpdateDue: timePtr(inc.NextUpdateDue),
		Draft:         inc.Draft,
		Ops:           inc.Ops,
		Metrics:       map[string]int64{},
		Entries:       make([]DocEntry, 0, len(inc.Entries)),
		Updates:       make([]DocUpdate, 0, len(inc.Updates)),
		Changes:       make([]DocChange, 0, len(inc.Changes)),
	}
	for _, c := range inc.Changes {
		d.Changes = append(d.Changes, DocChange(c))
	}
	if inc.Cadence > 0 {
		d.Cadence = inc.Cadence.String()
	}
	maps.Copy(d.Roles, inc.Roles)
	for m, t := range inc.Milestones {
		if !t.IsZero() {
			d.Milestones[string(m)] = t
		}
	}
	for _, m := range incident.Metrics(inc.Milestones) {
		if m.Known {
			d.Metrics[strings.ReplaceAll(m.Name, " ", "_")] = int64(m.Value / time.Second)
		}
	}
	entries := slices.Clone(inc.Entries)
	incident.SortEntries(entries)
	for _, e := range entries {
		d.Entries = append(d.Entries, docEntry(e))
	}
	updates := slices.Clone(inc.Updates)
	slices.SortStableFunc(updates, func(a, b incident.Update) int { return a.At.Compare(b.At) })
	for _, u := range updates {
		du := DocUpdate{ID: u.ID, UID: u.UID, At: u.At, Author: u.Author, Status: string(u.Status), Text: u.Text, Delivery: []DocDelivery{}, Backfilled: u.Backfilled}
		for _, dl := range u.Delivery {
			du.Delivery = append(du.Delivery, DocDelivery{Target: dl.Target, State: string(dl.State), Error: dl.Error, Attempts: dl.Attempts, At: timePtr(dl.At)})
		}
		d.Updates = append(d.Updates, du)
	}
	r := inc.Retro
	status := r.Status
	if status == "" {
		status = incident.RetroDraft
	}
	d.Retro = DocRetro{
		Status:   string(status),
		Due:      timePtr(retroDue(inc, p)),
		DueSet:   !r.Due.IsZero(),
		Sections: make([]DocSection, 0, len(r.Sections)),
		Whys:     make([]DocWhy, 0, len(r.Whys)),
		Factors:  make([]DocFactor, 0, len(r.Factors)),
		Actions:  make([]DocAction, 0, len(r.Actions)),
		Review:   make([]DocReview, 0, len(r.Review)),
	}
	for _, s := range r.Sections {
		ds := DocSection{Title: s.Title, Text: s.Text, Contributors: nonNil(slices.Clone(s.Contributors)), Edited: timePtr(s.Edited), Perspectives: []DocPerspective{}}
		for _, p := range s.Perspectives {
			ds.Perspectives = append(ds.Perspectives, DocPerspective(p))
		}
		d.Retro.Sections = append(d.Retro.Sections, ds)
	}
	for _, w := range r.Whys {
		d.Retro.Whys = append(d.Retro.Whys, DocWhy{UID: w.UID, Why: w.Why, Because: w.Because, RootCause: w.RootCause, Author: w.Author})
	}
	for _, a := range r.Actions {
		d.Retro.Actions = append(d.Retro.Actions, DocAction{UID: a.UID, Title: a.Title, Kind: string(a.Kind), Owner: a.Owner, Due: timePtr(a.Due), Done: a.Done, Link: a.Link, Author: a.Author, Addresses: a.Addresses})
	}
	for _, f := range r.Factors {
		df := DocFactor{UID: f.UID, Cause: f.Cause, Lucky: f.Lucky, Author: f.Author, Evidence: []DocEvidence{}}
		for _, l := range inc.Evidence(f) {
			df.Evidence = append(df.Evidence, DocEvidence{UID: l.UID, ID: l.Entry.ID, Deleted: l.Deleted})
		}
		d.Retro.Factors = append(d.Retro.Factors, df)
	}
	for _, c := range r.Review {
		d.Retro.Review = append(d.Retro.Review, DocReview(c))
	}
	return d
}

// docEntry is e as the document has it.
func docEntry(e incident.Entry) DocEntry {
	de := DocEntry{
		ID: e.ID, UID: e.UID, At: e.At, RecordedAt: e.RecordedAt, Author: e.Author,
		Kind: string(e.Kind), Text: e.Text, Starred: e.Starred,
		EditedAt: timePtr(e.EditedAt), EditedBy: e.EditedBy, Deleted: e.Deleted, Ref: e.Ref,
	}
	if e.Set.Field != "" {
		set := e.Set
		de.Set = &set
	}
	return de
}

// JSON renders inc as an indented Doc followed by a newline. The output is
// deterministic: the same incident gives the same bytes.
func JSON(inc *incident.Incident, p incident.Policy) ([]byte, error) {
	return NewDoc(inc, p).Encode()
}

// Encode renders d as JSON writes it: indented, followed by a newline.
func (d Doc) Encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("cannot encode %s as JSON: %w", d.ID, err)
	}
	return EscapeJSON(buf.Bytes()), nil
}

// ParseJSON reads a document written by JSON back into an incident. The id
// it carries is the one from the database it came from; the incident's ID
// is set to it, and an import assigns a local one. Everything is checked, so
// a hand-edited or damaged file is refused with the reason.
func ParseJSON(data []byte) (*incident.Incident, error) {
	var probe struct {
		FormatVersion *int `json:"format_version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("the file is not a warroom JSON export (%v)", jsonProblem(err))
	}
	if probe.FormatVersion == nil {
		return nil, errors.New("the file is not a warroom JSON export: it has no format_version; export it with warroom export --format json")
	}
	if v := *probe.FormatVersion; v < 1 || v > FormatVersion {
		return nil, fmt.Errorf("the file has format_version %d but this warroom reads up to %d; upgrade warroom to import it", v, FormatVersion)
	}
	var d Doc
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("the file is not a valid warroom JSON export (%v)", jsonProblem(err))
	}
	return d.Incident()
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v at byte %d", se, se.Offset)
	}
	return err.Error()
}

// Incident converts the document back into the domain type, validating it.
func (d Doc) Incident() (*incident.Incident, error) {
	inc := &incident.Incident{
		UID:           strings.TrimSpace(d.UID),
		Title:         d.Title,
		Status:        incident.Status(d.Status),
		WarRoom:       d.WarRoom,
		PublicChannel: d.PublicChannel,
		ETA:           deref(d.ETA),
		Tags:          slices.Clone(d.Tags),
		Created:       d.Created,
		Updated:       d.Updated,
		NextUpdateDue: deref(d.NextUpdateDue),
		Ops:           d.Ops,
		Draft:         d.Draft,
		Roles:         map[string]string{},
		Milestones:    map[incident.Milestone]time.Time{},
	}
	if strings.TrimSpace(d.Title) == "" {
		return nil, errors.New("the export has no title; it is not a complete warroom incident")
	}
	// "INC-0" is an incident that was never stored (the demo before it is
	// imported); the id is informational, so it is read as none.
	if d.ID != "" && !strings.EqualFold(d.ID, "INC-0") {
		id, err := incident.ParseID(d.ID)
		if err != nil {
			return nil, fmt.Errorf("the export's id is not valid: %v", err)
		}
		inc.ID = id
	}
	sev, err := incident.ParseSeverity(d.Severity)
	if err != nil {
		return nil, fmt.Errorf("the export's %v", err)
	}
	inc.Severity = sev
	if !slices.Contains(incident.Statuses, inc.Status) {
		return nil, fmt.Errorf("the export's status %q is not known; it must be one of investigating, identified, monitoring, resolved", d.Status)
	}
	if d.Cadence != "" {
		c, err := time.ParseDuration(d.Cadence)
		if err != nil || c <= 0 {
			return nil, fmt.Errorf("the export's cadence %q is not a duration such as 30m", d.Cadence)
		}
		inc.Cadence = c
	}
	maps.Copy(inc.Roles, d.Roles)
	for name, t := range d.Milestones {
		m := incident.Milestone(name)
		if !slices.Contains(incident.Milestones, m) {
			return nil, fmt.Errorf("the export names an unknown milestone %q", name)
		}
		inc.Milestones[m] = t
	}
	for i, e := range d.Entries {
		k := incident.Kind(e.Kind)
		if !slices.Contains(incident.Kinds, k) {
			return nil, fmt.Errorf("timeline entry %d of the export has an unknown kind %q", i+1, e.Kind)
		}
		if e.At.IsZero() {
			return nil, fmt.Errorf("timeline entry %d of the export has no time", i+1)
		}
		inc.Entries = append(inc.Entries, incident.Entry{
			ID: e.ID, UID: e.UID, At: e.At, RecordedAt: e.RecordedAt, Author: e.Author, Kind: k,
			Text: e.Text, Starred: e.Starred, EditedAt: deref(e.EditedAt), EditedBy: e.EditedBy, Deleted: e.Deleted, Ref: e.Ref,
		})
		if e.Set != nil {
			inc.Entries[len(inc.Entries)-1].Set = *e.Set
		}
	}
	for _, c := range d.Changes {
		inc.Changes = append(inc.Changes, incident.Change(c))
	}
	for i, u := range d.Updates {
		if u.At.IsZero() {
			return nil, fmt.Errorf("public update %d of the export has no time", i+1)
		}
		up := incident.Update{ID: u.ID, UID: u.UID, At: u.At, Author: u.Author, Status: incident.Status(u.Status), Text: u.Text, Backfilled: u.Backfilled}
		for _, dl := range u.Delivery {
			up.Delivery = append(up.Delivery, incident.Delivery{Target: dl.Target, State: incident.DeliveryState(dl.State), Error: dl.Error, Attempts: dl.Attempts, At: deref(dl.At)})
		}
		inc.Updates = append(inc.Updates, up)
	}
	r := &inc.Retro
	switch incident.RetroStatus(d.Retro.Status) {
	case "", incident.RetroDraft:
		r.Status = incident.RetroDraft
	case incident.RetroFinal:
		r.Status = incident.RetroFinal
	default:
		return nil, fmt.Errorf("the export's retro status %q is not known; it must be draft or final", d.Retro.Status)
	}
	if d.Retro.DueSet {
		r.Due = deref(d.Retro.Due)
	}
	for _, s := range d.Retro.Sections {
		sec := incident.Section{Title: s.Title, Text: s.Text, Contributors: slices.Clone(s.Contributors), Edited: deref(s.Edited)}
		for _, p := range s.Perspectives {
			sec.Perspectives = append(sec.Perspectives, incident.Perspective(p))
		}
		r.Sections = append(r.Sections, sec)
	}
	for _, w := range d.Retro.Whys {
		r.Whys = append(r.Whys, incident.Why{UID: w.UID, Why: w.Why, Because: w.Because, RootCause: w.RootCause, Author: w.Author})
	}
	for i, a := range d.Retro.Actions {
		k := incident.ActionKind(a.Kind)
		if k != incident.Immediate && k != incident.LongTerm {
			return nil, fmt.Errorf("retro action %d of the export has kind %q; it must be immediate or long-term", i+1, a.Kind)
		}
		r.Actions = append(r.Actions, incident.Action{UID: a.UID, Title: a.Title, Kind: k, Owner: a.Owner, Due: deref(a.Due), Done: a.Done, Link: a.Link, Author: a.Author, Addresses: a.Addresses})
	}
	for _, f := range d.Retro.Factors {
		fac := incident.Factor{UID: f.UID, Cause: f.Cause, Lucky: f.Lucky, Author: f.Author}
		for _, e := range f.Evidence {
			fac.Evidence = append(fac.Evidence, e.UID)
		}
		r.Factors = append(r.Factors, fac)
	}
	for _, c := range d.Retro.Review {
		r.Review = append(r.Review, incident.ReviewComment(c))
	}
	return inc, nil
}

// retroDue is incident.RetroDue with zero for "not due yet".
func retroDue(inc *incident.Incident, p incident.Policy) time.Time {
	due, _ := incident.RetroDue(inc, p)
	return due
}
