package incident

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The timeline is the record (product.md §1a): an incident's status,
// severity, roles, ETA, cadence, tags and milestones are not fields kept
// beside the timeline but a fold of it. Every entry that changes one of them
// carries a Setting saying what it set; Fold replays those entries in
// timeline order (by At, ties by the order recorded, which is the entry id)
// and the latest of each kind wins. Editing, re-timing or deleting an entry
// therefore changes what it set, and nothing can drift.

// Fields an entry can set.
const (
	// FieldDeclared is the declaration: it carries the incident as declared
	// (title, severity, roles, channels, cadence) and is applied first,
	// whatever its time, so that later entries override it.
	FieldDeclared  = "declared"
	FieldStatus    = "status"
	FieldSeverity  = "severity"
	FieldRole      = "role"      // Key: the role name; Value: the person ("" removes)
	FieldETA       = "eta"       // Value: RFC 3339
	FieldCadence   = "cadence"   // Value: a Go duration
	FieldTag       = "tag"       // Value: the tag
	FieldMilestone = "milestone" // Key: the milestone; the entry's At is its time
	FieldSnooze    = "snooze"    // Value: the new due time, RFC 3339
	FieldPublic    = "public"    // a published update: ends any snooze
	// FieldRestore marks the entry recording that entry Ref was restored.
	FieldRestore = "restore"
	// FieldDelete marks the entry recording that entry Ref was deleted.
	FieldDelete = "delete"
)

// Setting is what one entry sets on the incident; the zero Setting sets
// nothing (notes, actions, questions...).
type Setting struct {
	Field string `json:"field,omitzero"`
	Key   string `json:"key,omitzero"`
	Value string `json:"value,omitzero"`
	// Declared is the incident as declared, on the declaration entry.
	Declared *Declaration `json:"declared,omitzero"`
}

// Folds reports whether the setting takes part in the fold.
func (s Setting) Folds() bool {
	switch s.Field {
	case "", FieldRestore, FieldDelete:
		return false
	}
	return true
}

// Declaration is the incident as it was declared.
type Declaration struct {
	Title         string            `json:"title,omitzero"`
	Severity      Severity          `json:"severity,omitzero"`
	Roles         map[string]string `json:"roles,omitzero"`
	WarRoom       string            `json:"war_room,omitzero"`
	PublicChannel string            `json:"public_channel,omitzero"`
	Cadence       time.Duration     `json:"cadence,omitzero"`
	Tags          []string          `json:"tags,omitzero"`
	// Alert is where an incident declared from an alert came from.
	Alert *AlertOrigin `json:"alert,omitzero"`
}

// DeclarationOf captures inc's own fields as a declaration.
func DeclarationOf(inc *Incident) *Declaration {
	return &Declaration{
		Title: inc.Title, Severity: inc.Severity, Roles: maps.Clone(inc.Roles),
		WarRoom: inc.WarRoom, PublicChannel: inc.PublicChannel, Cadence: inc.Cadence,
		Tags: slices.Clone(inc.Tags), Alert: inc.Alert,
	}
}

// DeclaredEntry is the first entry of every incident: "Incident declared",
// carrying the declaration that the fold starts from.
func DeclaredEntry(inc *Incident, author string, recorded time.Time) Entry {
	text := "Incident declared: " + inc.Title + " (" + inc.Severity.String() + ")"
	for _, r := range inc.RoleNames() {
		text += "; " + r + ": " + inc.Roles[r]
	}
	return Entry{
		At: inc.Created, RecordedAt: recorded, Author: author, Kind: KindSystem, Text: text,
		Set: Setting{Field: FieldDeclared, Declared: DeclarationOf(inc)},
	}
}

// entryOrder is the timeline order: by At, ties by the order recorded,
// which is the clock of the operation that added the entry (the same on
// every copy), then the uid; an entry from before operations existed falls
// back on its local number.
func entryOrder(a, b Entry) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Seq, b.Seq); c != 0 {
		return c
	}
	if a.Seq != 0 {
		return strings.Compare(a.UID, b.UID)
	}
	switch {
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}

// Fold computes the incident's folded fields from inc.Entries.
func Fold(inc *Incident) { FoldEntries(inc, inc.Entries) }

// FoldEntries sets inc's folded fields (status, severity, roles, ETA,
// cadence, tags, milestones, snooze, and with a declaration also title,
// channels and created) from entries, which need not be sorted and may
// include deleted ones (they are skipped). Only entries whose Setting folds
// matter, so a caller may pass just those.
func FoldEntries(inc *Incident, entries []Entry) {
	es := make([]Entry, 0, len(entries))
	for _, e := range entries {
		if !e.Deleted && e.Set.Folds() {
			es = append(es, e)
		}
	}
	slices.SortStableFunc(es, entryOrder)

	inc.Status = Investigating
	inc.Severity = 3
	inc.Roles = map[string]string{}
	inc.ETA = time.Time{}
	inc.Cadence = 0
	inc.Tags = nil
	inc.Milestones = map[Milestone]time.Time{}
	inc.MilestoneEntries = nil
	inc.NextUpdateDue = time.Time{}
	inc.Alert = nil
	// The declaration first: it is the base the rest changes.
	for _, e := range es {
		if e.Set.Field == FieldDeclared && e.Set.Declared != nil {
			d := e.Set.Declared
			inc.Title = d.Title
			if d.Severity.Valid() {
				inc.Severity = d.Severity
			}
			maps.Copy(inc.Roles, d.Roles)
			inc.WarRoom, inc.PublicChannel = d.WarRoom, d.PublicChannel
			inc.Cadence = d.Cadence
			inc.Alert = d.Alert
			for _, t := range d.Tags {
				if !inc.HasTag(t) {
					inc.Tags = append(inc.Tags, t)
				}
			}
			inc.Created = e.At
			inc.Milestones[Detected] = e.At
			break
		}
	}
	for _, e := range es {
		inc.step(e)
	}
}

// step applies one entry's setting, in timeline order.
func (inc *Incident) step(e Entry) {
	s := e.Set
	switch s.Field {
	case FieldStatus:
		st := Status(s.Value)
		if !slices.Contains(Statuses, st) {
			return
		}
		was := inc.Status
		inc.Status = st
		switch {
		case st == Resolved:
			if inc.Milestones[MResolved].IsZero() {
				inc.setMilestone(MResolved, e)
			}
		case was == Resolved:
			// Reopened: no longer resolved until resolved again.
			delete(inc.Milestones, MResolved)
			delete(inc.MilestoneEntries, MResolved)
		}
	case FieldSeverity:
		if n, err := strconv.Atoi(s.Value); err == nil && Severity(n).Valid() {
			inc.Severity = Severity(n)
		}
	case FieldRole:
		if inc.Roles == nil {
			inc.Roles = map[string]string{}
		}
		if strings.TrimSpace(s.Value) == "" {
			delete(inc.Roles, s.Key)
		} else {
			inc.Roles[s.Key] = s.Value
		}
	case FieldETA:
		t, _ := time.Parse(time.RFC3339Nano, s.Value)
		inc.ETA = t
	case FieldCadence:
		if d, err := time.ParseDuration(s.Value); err == nil && d > 0 {
			inc.Cadence = d
		}
	case FieldTag:
		if s.Value != "" && !inc.HasTag(s.Value) {
			inc.Tags = append(inc.Tags, s.Value)
		}
	case FieldMilestone:
		m := Milestone(s.Key)
		if slices.Contains(Milestones, m) {
			inc.setMilestone(m, e)
		}
	case FieldSnooze:
		t, _ := time.Parse(time.RFC3339Nano, s.Value)
		inc.NextUpdateDue = t
	case FieldPublic:
		inc.NextUpdateDue = time.Time{}
	}
}

func (inc *Incident) setMilestone(m Milestone, e Entry) {
	if inc.Milestones == nil {
		inc.Milestones = map[Milestone]time.Time{}
	}
	inc.Milestones[m] = e.At
	if e.Set.Field == FieldMilestone && e.ID != 0 {
		if inc.MilestoneEntries == nil {
			inc.MilestoneEntries = map[Milestone]int64{}
		}
		inc.MilestoneEntries[m] = e.ID
	}
}

// FoldedEqual reports whether a and b agree on every folded field, for the
// integrity check that the stored head is the fold of the timeline.
func FoldedEqual(a, b *Incident) (bool, string) {
	switch {
	case a.Status != b.Status:
		return false, "status " + string(a.Status) + " ≠ " + string(b.Status)
	case a.Severity != b.Severity:
		return false, "severity " + a.Severity.String() + " ≠ " + b.Severity.String()
	case !maps.Equal(nonNil(a.Roles), nonNil(b.Roles)):
		return false, "roles differ"
	case !a.ETA.Equal(b.ETA):
		return false, "ETA differs"
	case a.Cadence != b.Cadence:
		return false, "cadence " + a.Cadence.String() + " ≠ " + b.Cadence.String()
	case !sameSet(a.Tags, b.Tags):
		return false, "tags differ"
	case !a.NextUpdateDue.Equal(b.NextUpdateDue):
		return false, "snooze differs"
	case !sameAlert(a.Alert, b.Alert):
		return false, "alert origin differs"
	}
	if len(a.Milestones) != len(b.Milestones) {
		return false, "milestones differ"
	}
	for m, t := range a.Milestones {
		if !t.Equal(b.Milestones[m]) {
			return false, "milestone " + string(m) + " differs"
		}
	}
	return true, ""
}

// sameSet compares tags as a set: their order is the order they were
// first recorded, which a migration may not know.
func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// CadenceAt is the public update cadence in force at t: the latest cadence
// entry at or before t, else the declared cadence, else the policy's.
func CadenceAt(inc *Incident, t time.Time, p Policy) time.Duration {
	var cadence time.Duration
	var setAt time.Time
	for _, e := range inc.Entries {
		if e.Deleted || e.At.After(t) {
			continue
		}
		switch e.Set.Field {
		case FieldDeclared:
			if e.Set.Declared != nil && e.Set.Declared.Cadence > 0 && cadence == 0 {
				cadence = e.Set.Declared.Cadence
			}
		case FieldCadence:
			if d, err := time.ParseDuration(e.Set.Value); err == nil && d > 0 && !e.At.Before(setAt) {
				cadence, setAt = d, e.At
			}
		}
	}
	if cadence > 0 {
		return cadence
	}
	if inc.Cadence > 0 && !hasCadenceEntries(inc) {
		return inc.Cadence
	}
	if p.UpdateEvery > 0 {
		return p.UpdateEvery
	}
	return DefaultPolicy().UpdateEvery
}

func hasCadenceEntries(inc *Incident) bool {
	return slices.ContainsFunc(inc.Entries, func(e Entry) bool {
		return !e.Deleted && (e.Set.Field == FieldCadence || (e.Set.Field == FieldDeclared && e.Set.Declared != nil && e.Set.Declared.Cadence > 0))
	})
}

// UpdateDueAfter is when the update after one published at prev was due,
// judged as the countdown showed it live: prev plus the cadence in force,
// where a cadence change before that moment moves the due time from then on
// (and a change to a cadence already exceeded makes it due at the change).
func UpdateDueAfter(inc *Incident, prev time.Time, p Policy) time.Time {
	due := prev.Add(p.LongCadence(inc, prev, CadenceAt(inc, prev, p)))
	changes := make([]Entry, 0, 4)
	for _, e := range inc.Entries {
		if !e.Deleted && e.Set.Field == FieldCadence && e.At.After(prev) {
			changes = append(changes, e)
		}
	}
	slices.SortStableFunc(changes, entryOrder)
	for _, e := range changes {
		if !e.At.Before(due) {
			break
		}
		d, err := time.ParseDuration(e.Set.Value)
		if err != nil || d <= 0 {
			continue
		}
		due = prev.Add(d)
		if due.Before(e.At) {
			due = e.At
		}
	}
	return due
}

// InferSetting reads what an entry written before settings existed set,
// from its kind and the text warroom wrote for it. It is used once, when
// an old database or an old export is brought in, so that its timeline can
// be folded like a new one. The second result is false when the entry set
// nothing that can be read back.
func InferSetting(e Entry) (Setting, bool) {
	t := strings.TrimSpace(e.Text)
	switch e.Kind {
	case KindStatus:
		if rest, ok := strings.CutPrefix(t, "Status "); ok {
			if _, to, ok := strings.Cut(rest, "→"); ok {
				if st, err := ParseStatus(strings.TrimSpace(to)); err == nil {
					return Setting{Field: FieldStatus, Value: string(st)}, true
				}
			}
		}
		if rest, ok := strings.CutPrefix(t, "Severity "); ok {
			if _, to, ok := strings.Cut(rest, "→"); ok {
				if sev, err := ParseSeverity(strings.TrimSpace(to)); err == nil {
					return Setting{Field: FieldSeverity, Value: strconv.Itoa(int(sev))}, true
				}
			}
		}
	case KindMilestone:
		m := Milestone(strings.ToLower(t))
		if slices.Contains(Milestones, m) {
			return Setting{Field: FieldMilestone, Key: string(m)}, true
		}
	case KindRole:
		if person, role, ok := strings.Cut(t, " is "); ok && person != "" {
			return Setting{Field: FieldRole, Key: strings.ToLower(strings.TrimSpace(role)), Value: strings.TrimSpace(person)}, true
		}
	case KindPublic:
		return Setting{Field: FieldPublic}, true
	case KindSystem:
		if tag, ok := strings.CutPrefix(t, "Tagged "); ok && !strings.Contains(tag, " ") {
			return Setting{Field: FieldTag, Value: tag}, true
		}
		if d, ok := strings.CutPrefix(t, "Public updates every "); ok {
			if dur, err := ParseDuration(d); err == nil {
				return Setting{Field: FieldCadence, Value: dur.String()}, true
			}
		}
	}
	return Setting{}, false
}

// Backfill gives settings to the entries of an incident written before
// settings existed (an old database or export), so that folding its
// timeline gives back its fields. Entries whose setting can be read from
// their text get it; a declaration entry is added when there is none,
// carrying the incident's fields as the base; and whatever the entries do
// not reproduce (a lossy "ETA set to 15:00", a milestone set without an
// entry) is added to that base or to the latest matching entry, so that the
// fold equals the incident as it was. It reports whether anything changed.
func Backfill(inc *Incident, author string) bool {
	changed := false
	hasDecl := false
	for i := range inc.Entries {
		e := &inc.Entries[i]
		if e.Set.Field == FieldDeclared {
			hasDecl = true
		}
		if e.Set.Field != "" {
			continue
		}
		if strings.HasPrefix(e.Text, "Incident declared: ") && e.Kind == KindSystem && !hasDecl {
			e.Set = Setting{Field: FieldDeclared}
			hasDecl = true
			changed = true
			continue
		}
		if s, ok := InferSetting(*e); ok {
			e.Set = s
			changed = true
		}
	}
	target := *inc
	target.Roles = maps.Clone(inc.Roles)
	target.Milestones = maps.Clone(inc.Milestones)
	target.Tags = slices.Clone(inc.Tags)
	if target.Status == "" {
		target.Status = Investigating
	}
	// The base: the first severity and status the timeline starts from,
	// roles and tags that no entry names, the first cadence.
	decl := DeclarationOf(inc)
	decl.Roles = map[string]string{}
	ordered := slices.Clone(inc.Entries)
	slices.SortStableFunc(ordered, entryOrder)
	firstSev, firstCadence := Severity(0), time.Duration(0)
	roleSet, tagSet := map[string]bool{}, map[string]bool{}
	for _, e := range ordered {
		if e.Deleted {
			continue
		}
		switch e.Set.Field {
		case FieldSeverity:
			if firstSev == 0 {
				if from, _, ok := strings.Cut(strings.TrimPrefix(e.Text, "Severity "), "→"); ok {
					firstSev, _ = ParseSeverity(strings.TrimSpace(from))
				}
			}
		case FieldCadence:
			if firstCadence == 0 {
				firstCadence = -1
			}
		case FieldRole:
			roleSet[e.Set.Key] = true
		case FieldTag:
			tagSet[strings.ToLower(e.Set.Value)] = true
		}
	}
	if firstSev.Valid() {
		decl.Severity = firstSev
	}
	if firstCadence != 0 {
		decl.Cadence = 0
	}
	for r, p := range inc.Roles {
		if !roleSet[r] {
			decl.Roles[r] = p
		}
	}
	decl.Tags = nil
	for _, tag := range inc.Tags {
		if !tagSet[strings.ToLower(tag)] {
			decl.Tags = append(decl.Tags, tag)
		}
	}
	var declIdx = -1
	for i, e := range inc.Entries {
		if e.Set.Field == FieldDeclared {
			declIdx = i
			break
		}
	}
	if declIdx < 0 {
		created := inc.Created
		if created.IsZero() && len(ordered) > 0 {
			created = ordered[0].At
		}
		e := DeclaredEntry(&Incident{Title: inc.Title, Severity: decl.Severity, Roles: decl.Roles, Created: created}, author, created)
		e.Text = "Incident declared: " + inc.Title
		inc.Entries = append(inc.Entries, e)
		declIdx = len(inc.Entries) - 1
		changed = true
	}
	inc.Entries[declIdx].Set.Declared = decl

	// What the entries alone do not give back.
	folded := &Incident{Title: inc.Title, Created: inc.Created}
	FoldEntries(folded, inc.Entries)
	if !target.ETA.Equal(folded.ETA) {
		// "ETA set to 15:00" lost the date: give the newest such entry the
		// time, or record it at the last change.
		idx := -1
		for i, e := range inc.Entries {
			if !e.Deleted && strings.HasPrefix(e.Text, "ETA set to ") && (idx < 0 || entryOrder(e, inc.Entries[idx]) > 0) {
				idx = i
			}
		}
		if idx >= 0 {
			inc.Entries[idx].Set = Setting{Field: FieldETA, Value: target.ETA.Format(time.RFC3339Nano)}
		} else if !target.ETA.IsZero() {
			inc.Entries = append(inc.Entries, Entry{
				At: latestAt(inc), RecordedAt: latestAt(inc), Author: author, Kind: KindSystem,
				Text: "ETA set to " + target.ETA.Format("Jan 2 15:04"), Set: Setting{Field: FieldETA, Value: target.ETA.Format(time.RFC3339Nano)},
			})
		}
		changed = true
	}
	FoldEntries(folded, inc.Entries)
	if folded.Status != target.Status {
		inc.Entries = append(inc.Entries, Entry{
			At: latestAt(inc), RecordedAt: latestAt(inc), Author: author, Kind: KindStatus,
			Text: "Status " + string(folded.Status) + " → " + string(target.Status), Set: Setting{Field: FieldStatus, Value: string(target.Status)},
		})
		changed = true
	}
	if folded.Severity != target.Severity && target.Severity.Valid() {
		inc.Entries = append(inc.Entries, Entry{
			At: latestAt(inc), RecordedAt: latestAt(inc), Author: author, Kind: KindStatus,
			Text: "Severity " + folded.Severity.String() + " → " + target.Severity.String(), Set: Setting{Field: FieldSeverity, Value: strconv.Itoa(int(target.Severity))},
		})
		changed = true
	}
	if target.Cadence > 0 && folded.Cadence != target.Cadence {
		inc.Entries[declIdx].Set.Declared.Cadence = target.Cadence
		FoldEntries(folded, inc.Entries)
		if folded.Cadence != target.Cadence {
			inc.Entries = append(inc.Entries, Entry{
				At: latestAt(inc), RecordedAt: latestAt(inc), Author: author, Kind: KindSystem,
				Text: "Public updates every " + FormatDuration(target.Cadence), Set: Setting{Field: FieldCadence, Value: target.Cadence.String()},
			})
		}
		changed = true
	}
	FoldEntries(folded, inc.Entries)
	for r, p := range target.Roles {
		if folded.Roles[r] != p {
			inc.Entries = append(inc.Entries, Entry{
				At: latestAt(inc), RecordedAt: latestAt(inc), Author: author, Kind: KindRole,
				Text: p + " is " + titleCase(r), Set: Setting{Field: FieldRole, Key: r, Value: p},
			})
			changed = true
		}
	}
	FoldEntries(folded, inc.Entries)
	for _, m := range Milestones {
		want := target.Milestones[m]
		if want.IsZero() || want.Equal(folded.Milestones[m]) {
			continue
		}
		inc.Entries = append(inc.Entries, Entry{
			At: want, RecordedAt: want, Author: author, Kind: KindMilestone,
			Text: titleCase(string(m)), Set: Setting{Field: FieldMilestone, Key: string(m)},
		})
		changed = true
	}
	return changed
}

func latestAt(inc *Incident) time.Time {
	var t time.Time
	for _, e := range inc.Entries {
		if e.At.After(t) {
			t = e.At
		}
	}
	return t
}
