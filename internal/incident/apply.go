package incident

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Policy holds the process settings that come from configuration.
type Policy struct {
	UpdateEvery      time.Duration // public update cadence
	FirstUpdateAfter time.Duration // first update due after declaring
	RetroDueAfter    time.Duration // retro due after the resolved milestone
	GapThreshold     time.Duration // silence shown as a gap
	// LongAfter and LongEvery slow the cadence of a long incident: after
	// LongAfter since declaring, updates are due every LongEvery at most.
	LongAfter, LongEvery time.Duration
}

// LongCadence is the cadence to use after an update published at last: a
// long incident (older than LongAfter) is updated no more often than
// LongEvery, since "still working on it" every 20 minutes for a day tells
// stakeholders nothing.
func (p Policy) LongCadence(inc *Incident, last time.Time, cadence time.Duration) time.Duration {
	if p.LongAfter > 0 && p.LongEvery > cadence && !inc.Created.IsZero() && last.Sub(inc.Created) >= p.LongAfter {
		return p.LongEvery
	}
	return cadence
}

// DefaultPolicy is the handbook's process.
func DefaultPolicy() Policy {
	return Policy{
		UpdateEvery:      30 * time.Minute,
		FirstUpdateAfter: 5 * time.Minute,
		RetroDueAfter:    2 * time.Hour,
		GapThreshold:     15 * time.Minute,
		LongAfter:        2 * time.Hour,
		LongEvery:        time.Hour,
	}
}

// NewIncident declares an incident. The caller assigns ID and UID.
func NewIncident(title string, sev Severity, now time.Time, p Policy) (*Incident, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return nil, errors.New("the title is empty; describe the incident in a few words")
	}
	if err := CheckTitle(title); err != nil {
		return nil, err
	}
	if sev == 0 {
		sev = 3
	}
	if !sev.Valid() {
		return nil, fmt.Errorf("severity %d is not valid; use a number from 1 (worst) to 4", int(sev))
	}
	cadence := p.UpdateEvery
	if cadence <= 0 {
		cadence = DefaultPolicy().UpdateEvery
	}
	return &Incident{
		Title:      title,
		Severity:   sev,
		Status:     Investigating,
		Roles:      map[string]string{},
		Cadence:    cadence,
		Created:    now,
		Updated:    now,
		Milestones: map[Milestone]time.Time{Detected: now},
		Retro:      Retro{Status: RetroDraft},
	}, nil
}

// ErrScreenCommand is returned by Apply for commands that only switch screens
// in the cockpit (/retro, /list, /preview, /help).
var ErrScreenCommand = errors.New("this command opens a screen in the cockpit; run warroom open to use it")

// Result is what applying a capture produced, for the caller to persist.
type Result struct {
	// Entries to add to the timeline (the entry itself, or the record of a change).
	Entries []Entry
	// Update is set by /publish.
	Update *Update
	// Moves are existing entries to move to another time: setting a
	// milestone again re-times the entry that set it, so the timeline
	// keeps one "Mitigated" and the milestone moves with it.
	Moves []EntryMove
	// Draft is set by /draft: the new text of the public draft.
	Draft *string
	// Header reports that the incident's own fields changed.
	Header bool
}

// EntryMove moves entry ID to At.
type EntryMove struct {
	ID int64
	At time.Time
}

// Apply applies a parsed capture line to inc at time now on behalf of
// author. It checks the command against the incident as it stands and
// returns what must be recorded: the entries, each carrying the Setting the
// fold reads. It also steps inc's folded fields through those entries, so
// a caller that keeps inc in memory sees the result the fold will give;
// it never touches inc.Entries or inc.Updates, which the store owns.
//
// With an idempotency key (c.Key), the first entry recorded carries it.
func Apply(inc *Incident, c Capture, now time.Time, author string, p Policy) (Result, error) {
	if c.Key != "" {
		if err := CheckKey(c.Key); err != nil {
			return Result{}, err
		}
	}
	r, err := apply(inc, c, now, author, p)
	if err == nil && c.Key != "" && len(r.Entries) > 0 {
		r.Entries[0].Key = c.Key
	}
	return r, err
}

func apply(inc *Incident, c Capture, now time.Time, author string, p Policy) (Result, error) {
	// A command logged with a time of its own (`warroom log --at`, a
	// backfill) takes effect then: its entries are at c.At.
	if c.Command != CmdNone && c.At.After(now.Add(time.Minute)) {
		return Result{}, errors.New("that time is in the future; give a time that has passed")
	}
	entry := func(kind Kind, text string, at time.Time, set Setting) Entry {
		if at.IsZero() {
			at = c.At
		}
		if at.IsZero() {
			at = now
		}
		return Entry{At: at, RecordedAt: now, Author: author, Kind: kind, Text: text, Set: set}
	}
	var r Result
	add := func(e Entry) {
		r.Entries = append(r.Entries, e)
		inc.step(e)
	}
	switch c.Command {
	case CmdNone:
		if strings.TrimSpace(c.Text) == "" {
			return r, errors.New("nothing to log; type some text")
		}
		if err := checkText("the text", c.Text, MaxTextBytes); err != nil {
			return r, err
		}
		if c.At.After(now.Add(time.Minute)) {
			return r, errors.New("that time is in the future; give a time that has passed")
		}
		e := entry(c.Kind, c.Text, c.At, Setting{})
		e.Starred = c.Starred
		r.Entries = append(r.Entries, e)
		return r, nil
	case CmdSev:
		if c.Severity == inc.Severity {
			return r, unchanged("severity is already %s", inc.Severity)
		}
		add(entry(KindStatus, fmt.Sprintf("Severity %s → %s", inc.Severity, c.Severity), time.Time{},
			Setting{Field: FieldSeverity, Value: strconv.Itoa(int(c.Severity))}))
	case CmdStatus:
		if c.Status == inc.Status {
			return r, unchanged("status is already %s", inc.Status)
		}
		add(entry(KindStatus, fmt.Sprintf("Status %s → %s", inc.Status, c.Status), time.Time{},
			Setting{Field: FieldStatus, Value: string(c.Status)}))
	case CmdLead, CmdComms, CmdRole:
		person := strings.TrimSpace(c.Person)
		if err := CheckName("the role's name", c.Role); err != nil {
			return r, err
		}
		if err := CheckName(roleHolder(c.Role), person); err != nil {
			return r, err
		}
		if inc.Roles[c.Role] == person {
			return r, unchanged("%s is already %s", person, c.Role)
		}
		add(entry(KindRole, fmt.Sprintf("%s is %s", person, titleCase(c.Role)), time.Time{},
			Setting{Field: FieldRole, Key: c.Role, Value: person}))
	case CmdHandover:
		person := strings.TrimSpace(c.Person)
		from := inc.Roles[c.Role]
		if from == person {
			return r, unchanged("%s is already %s", person, c.Role)
		}
		at := c.At
		if at.IsZero() {
			at = now
		}
		add(entry(KindRole, fmt.Sprintf("%s is %s", person, titleCase(c.Role)), time.Time{},
			Setting{Field: FieldRole, Key: c.Role, Value: person}))
		r.Entries = append(r.Entries, entry(KindHandover, HandoverBrief(inc, c.Role, from, person, at, p), time.Time{}, Setting{}))
	case CmdETA:
		add(entry(KindSystem, "ETA set to "+clock(c.Time, now), time.Time{},
			Setting{Field: FieldETA, Value: c.Time.UTC().Format(time.RFC3339Nano)}))
	case CmdTag:
		if err := CheckTag(c.Tag); err != nil {
			return r, err
		}
		if inc.HasTag(c.Tag) {
			return r, unchanged("the incident is already tagged %s", c.Tag)
		}
		add(entry(KindSystem, "Tagged "+c.Tag, time.Time{}, Setting{Field: FieldTag, Value: c.Tag}))
	case CmdEvery:
		add(entry(KindSystem, "Public updates every "+FormatDuration(c.Duration), time.Time{},
			Setting{Field: FieldCadence, Value: c.Duration.String()}))
	case CmdSnooze:
		due := NextUpdateDue(inc, p).Add(c.Duration)
		if due.Before(now) {
			due = now.Add(c.Duration)
		}
		text := fmt.Sprintf("Next public update snoozed %s, due %s", FormatDuration(c.Duration), clock(due, now))
		if c.Text != "" {
			text += ": " + c.Text
		}
		add(entry(KindSystem, text, time.Time{},
			Setting{Field: FieldSnooze, Value: due.UTC().Format(time.RFC3339Nano)}))
	case CmdDraft:
		if err := checkText("the draft", c.Text, MaxTextBytes); err != nil {
			return r, err
		}
		text := c.Text
		r.Draft = &text
		inc.Draft = text
		return r, nil
	case CmdPublish:
		if err := checkText("the update", c.Text, MaxTextBytes); err != nil {
			return r, err
		}
		if strings.TrimSpace(c.Text) != "" {
			inc.Draft = c.Text
		}
		at := now
		if !c.At.IsZero() {
			at = c.At
		}
		u, e, err := Publish(inc, at, author)
		if err != nil {
			return r, err
		}
		if at.Before(now.Add(-time.Minute)) {
			// Published back then, recorded now: shown as such, and
			// never delivered or copied.
			u.Backfilled = true
			e.RecordedAt = now
		}
		r.Update = &u
		r.Entries = append(r.Entries, e)
	case CmdMilestone:
		at := c.Time
		if at.IsZero() {
			at = c.At
		}
		if at.IsZero() {
			at = now
		}
		if at.After(now.Add(time.Minute)) {
			return r, errors.New("that time is in the future; give a time that has passed")
		}
		if id, ok := inc.MilestoneEntries[c.Milestone]; ok && id != 0 && !(c.Milestone == MResolved && inc.Status != Resolved) {
			// Set again: move the entry that set it, keeping one.
			r.Moves = append(r.Moves, EntryMove{ID: id, At: at})
			setMilestone(inc, c.Milestone, at)
		} else {
			add(entry(KindMilestone, titleCase(string(c.Milestone)), at, Setting{Field: FieldMilestone, Key: string(c.Milestone)}))
		}
		if c.Milestone == MResolved && inc.Status != Resolved {
			add(entry(KindStatus, fmt.Sprintf("Status %s → %s", inc.Status, Resolved), time.Time{},
				Setting{Field: FieldStatus, Value: string(Resolved)}))
		}
	default:
		return r, ErrScreenCommand
	}
	r.Header = true
	inc.Updated = now
	return r, nil
}

// Publish turns the draft into a public update. It returns the update and
// the public timeline entry, clears the draft and any snooze.
func Publish(inc *Incident, now time.Time, author string) (Update, Entry, error) {
	text := strings.TrimSpace(inc.Draft)
	if text == "" {
		return Update{}, Entry{}, errors.New("the public draft is empty; write it first, e.g. /draft We are investigating")
	}
	u := Update{At: now, Author: author, Status: inc.Status, Text: text}
	e := Entry{At: now, RecordedAt: now, Author: author, Kind: KindPublic, Text: text, Set: Setting{Field: FieldPublic}}
	inc.Draft = ""
	inc.NextUpdateDue = time.Time{}
	inc.Updated = now
	return u, e, nil
}

func setMilestone(inc *Incident, m Milestone, at time.Time) {
	if inc.Milestones == nil {
		inc.Milestones = map[Milestone]time.Time{}
	}
	inc.Milestones[m] = at
}

// clock formats t as HH:MM, with the date when it is not on now's day.
func clock(t, now time.Time) string {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	if y1 == y2 && m1 == m2 && d1 == d2 {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// NextUpdateDue is when the next public update is due: a snooze if one is
// set, else the cadence after the last published update, else the first
// update delay after the incident was declared.
func NextUpdateDue(inc *Incident, p Policy) time.Time {
	if !inc.NextUpdateDue.IsZero() {
		return inc.NextUpdateDue
	}
	if n := len(inc.Updates); n > 0 {
		last := inc.Updates[0].At
		for _, u := range inc.Updates[1:] {
			if u.At.After(last) {
				last = u.At
			}
		}
		cadence := inc.Cadence
		if cadence <= 0 {
			cadence = p.UpdateEvery
		}
		return last.Add(p.LongCadence(inc, last, cadence))
	}
	first := p.FirstUpdateAfter
	if first <= 0 {
		first = DefaultPolicy().FirstUpdateAfter
	}
	return inc.Created.Add(first)
}
