package incident

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The titles of the handbook's sections that hold more than free text. The
// structured parts of the retro (the five-whys chain, the actions, the
// timeline analysis) credit their contributors to these sections.
const (
	SectionIntroduction = "Introduction"
	SectionTimeline     = "Timeline"
	SectionWhys         = "Five whys"
	SectionActions      = "Actions"
)

// WhysWanted is how deep the five-whys chain is meant to go.
const WhysWanted = 5

// sameTitle compares section titles the way people type them.
func sameTitle(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// SectionIndex returns the index of the section titled title, or -1.
func (r *Retro) SectionIndex(title string) int {
	return slices.IndexFunc(r.Sections, func(s Section) bool { return sameTitle(s.Title, title) })
}

// Section returns the section titled title, or nil.
func (r *Retro) Section(title string) *Section {
	if i := r.SectionIndex(title); i >= 0 {
		return &r.Sections[i]
	}
	return nil
}

// HasContent reports whether a section has anything in it: its text, or for
// the structured sections, whys or actions.
func (r *Retro) HasContent(title string) bool {
	switch {
	case sameTitle(title, SectionWhys) && len(r.Whys) > 0:
		return true
	case sameTitle(title, SectionActions) && len(r.Actions) > 0:
		return true
	}
	s := r.Section(title)
	return s != nil && strings.TrimSpace(s.Text) != ""
}

// Contributors lists everyone who changed any part of the retro, in the
// order they first appear.
func (r *Retro) Contributors() []string {
	var out []string
	for _, s := range r.Sections {
		for _, c := range s.Contributors {
			out = AddContributor(out, c)
		}
	}
	return out
}

// EnsureSections puts the configured sections first, in the configured
// order, adding the missing ones. Sections no longer configured stay after
// them when they hold text or contributors, so changing the config never
// loses what someone wrote; empty ones are dropped. A retro without a status
// becomes a draft. It reports whether anything changed.
func EnsureSections(r *Retro, titles []string) bool {
	changed := false
	if r.Status == "" {
		r.Status = RetroDraft
		changed = true
	}
	out := make([]Section, 0, max(len(titles), len(r.Sections)))
	used := make([]bool, len(r.Sections))
	for _, t := range titles {
		t = strings.TrimSpace(t)
		if t == "" || slices.ContainsFunc(out, func(s Section) bool { return sameTitle(s.Title, t) }) {
			continue
		}
		i := slices.IndexFunc(r.Sections, func(s Section) bool { return sameTitle(s.Title, t) })
		if i >= 0 && !used[i] {
			used[i] = true
			out = append(out, r.Sections[i])
			continue
		}
		out = append(out, Section{Title: t})
	}
	for i, s := range r.Sections {
		if used[i] {
			continue
		}
		dup := slices.ContainsFunc(out, func(o Section) bool { return sameTitle(o.Title, s.Title) })
		if dup || (strings.TrimSpace(s.Text) == "" && len(s.Contributors) == 0) {
			if dup && strings.TrimSpace(s.Text) != "" {
				// Two sections with one title (an import merged twice):
				// keep the text under the first rather than drop it.
				j := slices.IndexFunc(out, func(o Section) bool { return sameTitle(o.Title, s.Title) })
				out[j].Text = joinText(out[j].Text, s.Text)
				for _, c := range s.Contributors {
					out[j].Contributors = AddContributor(out[j].Contributors, c)
				}
			}
			continue
		}
		out = append(out, s)
	}
	if !changed && !sectionsEqual(out, r.Sections) {
		changed = true
	}
	r.Sections = out
	return changed
}

func joinText(a, b string) string {
	switch {
	case strings.TrimSpace(a) == "":
		return b
	case strings.TrimSpace(b) == "":
		return a
	}
	return strings.TrimRight(a, "\n") + "\n\n" + b
}

func sectionsEqual(a, b []Section) bool {
	return slices.EqualFunc(a, b, func(x, y Section) bool {
		return x.Title == y.Title && x.Text == y.Text && x.Edited.Equal(y.Edited) && slices.Equal(x.Contributors, y.Contributors)
	})
}

// contribute credits author on the section titled title, adding the section
// at the end if it is missing so the credit is not lost.
func (r *Retro) contribute(title, author string, now time.Time) *Section {
	i := r.SectionIndex(title)
	if i < 0 {
		r.Sections = append(r.Sections, Section{Title: title})
		i = len(r.Sections) - 1
	}
	s := &r.Sections[i]
	s.Contributors = AddContributor(s.Contributors, author)
	s.Edited = now
	return s
}

// SetSectionText replaces a section's text, as typed, and credits author.
// It reports whether the text changed; an unchanged text credits nobody.
func SetSectionText(r *Retro, title, text, author string, now time.Time) (bool, error) {
	if strings.TrimSpace(title) == "" {
		return false, errors.New("the section has no title; choose a section from the list")
	}
	if s := r.Section(title); s != nil && s.Text == text {
		return false, nil
	}
	if s := r.Section(title); s == nil && text == "" {
		return false, nil
	}
	r.contribute(title, author, now).Text = text
	return true, nil
}

// IntroductionGuide is the prompt shown in an empty introduction: the three
// questions the handbook asks.
const IntroductionGuide = "What happened? What was the issue? How was it resolved?"

// SectionGuide returns the prompt for an empty free-text section.
func SectionGuide(title string) string {
	switch {
	case sameTitle(title, SectionIntroduction):
		return IntroductionGuide
	case sameTitle(title, SectionTimeline):
		return "Notes on the timeline: what slowed the response, what helped."
	case sameTitle(title, "What went well"):
		return "What worked: tools, people, process."
	case sameTitle(title, "What went wrong"):
		return "What made the incident worse or the response slower?"
	case sameTitle(title, "Where we got lucky"):
		return "What could have gone worse, and only did not by chance?"
	case sameTitle(title, "Impact"):
		return "Who was affected, how many, for how long?"
	case sameTitle(title, "Contributing factors"):
		return "What conditions made this possible?"
	case sameTitle(title, "Messaging"):
		return "What did stakeholders hear, and when? What should they have heard?"
	}
	return "Write " + strings.ToLower(strings.TrimSpace(title)) + " here."
}

// AnnotateEntry adds a note about a timeline entry to the Timeline section's
// text, as a line that names the entry's time and opening words, so the
// timeline itself stays as it was recorded.
func AnnotateEntry(r *Retro, e Entry, note, author string, now time.Time) error {
	note = strings.TrimSpace(CleanLine(note))
	if note == "" {
		return errors.New("the note is empty; type what this entry shows")
	}
	line := fmt.Sprintf("- %s %s: %s", e.At.Format("15:04"), excerpt(CleanLine(e.Text), 40), note)
	s := r.contribute(SectionTimeline, author, now)
	if strings.TrimSpace(s.Text) == "" {
		s.Text = line
	} else {
		s.Text = strings.TrimRight(s.Text, "\n") + "\n" + line
	}
	return nil
}

func excerpt(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return "“" + s + "”"
	}
	cut := string(r[:n-1])
	// End on a whole word when one ends in the second half.
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return "“" + strings.TrimSpace(cut) + "…”"
}

// Five whys.

func (r *Retro) whyAt(i int) (*Why, error) {
	if i < 0 || i >= len(r.Whys) {
		return nil, fmt.Errorf("there is no why number %d; the chain has %d", i+1, len(r.Whys))
	}
	return &r.Whys[i], nil
}

// ErrWhysChanged reports that step i is no longer the step the person was
// looking at: someone else in the war room edited, moved or deleted whys
// in the meantime.
var ErrWhysChanged = errors.New("the five whys changed while you were looking (someone else edited them); check the chain and try again")

// ExpectWhy checks that step i still asks and answers what seen does, so a
// change aimed at a step by its position cannot land on another one after a
// teammate reordered the chain. A step with a uid is found wherever it
// moved; ExpectWhy returns where it is now.
func ExpectWhy(r *Retro, i int, seen Why) (int, error) {
	if seen.UID != "" {
		if j := slices.IndexFunc(r.Whys, func(w Why) bool { return w.UID == seen.UID }); j >= 0 {
			return j, nil
		}
		return i, ErrWhysChanged
	}
	w, err := r.whyAt(i)
	if err != nil || w.Why != seen.Why || w.Because != seen.Because {
		return i, ErrWhysChanged
	}
	return i, nil
}

// AddWhy appends a step to the five-whys chain and returns its index.
func AddWhy(r *Retro, why, because, author string, now time.Time) (int, error) {
	why, because = strings.TrimSpace(why), strings.TrimSpace(because)
	if why == "" && because == "" {
		return -1, errors.New("the why is empty; ask why the last thing happened")
	}
	r.Whys = append(r.Whys, Why{Why: why, Because: because, Author: author})
	r.contribute(SectionWhys, author, now)
	return len(r.Whys) - 1, nil
}

// EditWhy replaces the question and answer of step i.
func EditWhy(r *Retro, i int, why, because, author string, now time.Time) error {
	w, err := r.whyAt(i)
	if err != nil {
		return err
	}
	why, because = strings.TrimSpace(why), strings.TrimSpace(because)
	if why == "" && because == "" {
		return errors.New("the why is empty; to remove it, delete it instead")
	}
	if w.Why == why && w.Because == because {
		return nil
	}
	w.Why, w.Because = why, because
	r.contribute(SectionWhys, author, now)
	return nil
}

// MoveWhy moves step i by delta places (-1 up, +1 down) and returns where it
// ended up. Moving past either end is an error, not a silent no-op, so the
// caller can tell the person.
func MoveWhy(r *Retro, i, delta int, author string, now time.Time) (int, error) {
	if _, err := r.whyAt(i); err != nil {
		return i, err
	}
	j := i + delta
	if j < 0 || j >= len(r.Whys) {
		if delta < 0 {
			return i, errors.New("this why is already first")
		}
		return i, errors.New("this why is already last")
	}
	w := r.Whys[i]
	r.Whys = slices.Delete(r.Whys, i, i+1)
	r.Whys = slices.Insert(r.Whys, j, w)
	r.contribute(SectionWhys, author, now)
	return j, nil
}

// DeleteWhy removes step i.
func DeleteWhy(r *Retro, i int, author string, now time.Time) error {
	if _, err := r.whyAt(i); err != nil {
		return err
	}
	r.Whys = slices.Delete(r.Whys, i, i+1)
	r.contribute(SectionWhys, author, now)
	return nil
}

// MarkRootCause makes step i the root cause, clearing any other mark, as a
// chain has one root cause. Marking the root cause again clears it. It
// reports whether step i is now the root cause.
func MarkRootCause(r *Retro, i int, author string, now time.Time) (bool, error) {
	w, err := r.whyAt(i)
	if err != nil {
		return false, err
	}
	mark := !w.RootCause
	for k := range r.Whys {
		r.Whys[k].RootCause = false
	}
	r.Whys[i].RootCause = mark
	r.contribute(SectionWhys, author, now)
	return mark, nil
}

// RootCause returns the index of the step marked as root cause, or -1.
func (r *Retro) RootCause() int {
	return slices.IndexFunc(r.Whys, func(w Why) bool { return w.RootCause })
}

// NextWhyPrompt is the question to ask next, built from the last answer,
// until the chain is five deep; then it returns "".
func NextWhyPrompt(r *Retro) string {
	n := len(r.Whys)
	if n >= WhysWanted {
		return ""
	}
	if n == 0 {
		return fmt.Sprintf("Why 1 of %d: why did the incident happen? Start from the immediate cause.", WhysWanted)
	}
	if q := NextWhyQuestion(r); q != "" {
		return fmt.Sprintf("Why %d of %d: %s", n+1, WhysWanted, lowerFirst(q))
	}
	return fmt.Sprintf("Why %d of %d: answer the last why first, then ask why that happened.", n+1, WhysWanted)
}

// NextWhyQuestion suggests the next question from the last answer, e.g.
// "Why the cache expired?" after "The cache expired.", at any depth; it is
// "" when the last why has no answer yet.
func NextWhyQuestion(r *Retro) string {
	n := len(r.Whys)
	if n == 0 {
		return "Why did the incident happen?"
	}
	b := strings.TrimSpace(CleanLine(r.Whys[n-1].Because))
	if b == "" {
		return ""
	}
	return "Why " + lowerFirst(strings.TrimRight(b, ".!?")) + "?"
}

// lowerFirst turns "The cache expired" into "the cache expired" so it reads
// inside a question; words that are all capitals (acronyms) are left alone.
func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	if word == "" || strings.ToUpper(word) == word {
		return s
	}
	r := []rune(s)
	return strings.ToLower(string(r[0])) + string(r[1:])
}

// Actions.

// ParseActionKind accepts "immediate", "long-term" and their short forms
// ("i", "now", "l", "long", "longterm", "long term").
func ParseActionKind(s string) (ActionKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "immediate", "i", "now", "imm":
		return Immediate, nil
	case "long-term", "long term", "longterm", "long", "l", "lt":
		return LongTerm, nil
	}
	return "", fmt.Errorf("action kind %q is not known; use immediate or long-term", s)
}

// Valid reports whether k is immediate or long-term.
func (k ActionKind) Valid() bool { return k == Immediate || k == LongTerm }

func (r *Retro) actionIndex(uid string) (int, error) {
	i := slices.IndexFunc(r.Actions, func(a Action) bool { return a.UID == uid })
	if uid == "" || i < 0 {
		return -1, errors.New("that action no longer exists; it may have been deleted by someone else")
	}
	return i, nil
}

// Action returns the action with the given uid, or nil.
func (r *Retro) Action(uid string) *Action {
	if i, err := r.actionIndex(uid); err == nil {
		return &r.Actions[i]
	}
	return nil
}

func checkAction(a *Action) error {
	a.Title = strings.TrimSpace(a.Title)
	a.Owner = strings.TrimSpace(a.Owner)
	a.Link = strings.TrimSpace(a.Link)
	if a.Title == "" {
		return errors.New("the action has no title; say what will be done")
	}
	if a.Kind == "" {
		a.Kind = Immediate
	}
	if !a.Kind.Valid() {
		return fmt.Errorf("action kind %q is not known; use immediate or long-term", a.Kind)
	}
	return nil
}

// AddAction appends an action. Its UID comes from uid (the store's or a
// test's generator) unless a already has one; its author is the one adding
// it. It returns the action as stored.
func AddAction(r *Retro, a Action, author string, now time.Time, uid func() string) (Action, error) {
	if err := checkAction(&a); err != nil {
		return Action{}, err
	}
	if a.UID == "" {
		a.UID = uid()
	}
	if r.Action(a.UID) != nil {
		return Action{}, fmt.Errorf("an action with id %s already exists", a.UID)
	}
	a.Author = author
	r.Actions = append(r.Actions, a)
	r.contribute(SectionActions, author, now)
	return a, nil
}

// FillActionUIDs gives an id to actions, whys, factors and review comments
// that have none (written by
// hand in an imported file, or before whys had ids), so they can be edited.
// It reports whether any changed.
func FillActionUIDs(r *Retro, uid func() string) bool {
	changed := fillUIDs(r.Whys, func(w *Why) *string { return &w.UID }, uid)
	changed = fillUIDs(r.Actions, func(a *Action) *string { return &a.UID }, uid) || changed
	changed = fillUIDs(r.Factors, func(f *Factor) *string { return &f.UID }, uid) || changed
	return fillUIDs(r.Review, func(c *ReviewComment) *string { return &c.UID }, uid) || changed
}

// fillUIDs gives each item whose uid field is empty one from uid.
func fillUIDs[T any](items []T, field func(*T) *string, uid func() string) bool {
	changed := false
	for i := range items {
		if f := field(&items[i]); *f == "" {
			*f = uid()
			changed = true
		}
	}
	return changed
}

// EditAction replaces an action's title, kind, owner, due date and link;
// its id, status and author stay.
func EditAction(r *Retro, uid string, a Action, author string, now time.Time) error {
	i, err := r.actionIndex(uid)
	if err != nil {
		return err
	}
	if err := checkAction(&a); err != nil {
		return err
	}
	old := &r.Actions[i]
	if old.Title == a.Title && old.Kind == a.Kind && old.Owner == a.Owner && old.Due.Equal(a.Due) && old.Link == a.Link && old.Addresses == a.Addresses {
		return nil
	}
	old.Title, old.Kind, old.Owner, old.Due, old.Link, old.Addresses = a.Title, a.Kind, a.Owner, a.Due, a.Link, a.Addresses
	r.contribute(SectionActions, author, now)
	return nil
}

// ToggleAction flips an action between open and done and reports whether it
// is now done.
func ToggleAction(r *Retro, uid, author string, now time.Time) (bool, error) {
	i, err := r.actionIndex(uid)
	if err != nil {
		return false, err
	}
	r.Actions[i].Done = !r.Actions[i].Done
	r.contribute(SectionActions, author, now)
	return r.Actions[i].Done, nil
}

// DeleteAction removes an action.
func DeleteAction(r *Retro, uid, author string, now time.Time) error {
	i, err := r.actionIndex(uid)
	if err != nil {
		return err
	}
	r.Actions = slices.Delete(r.Actions, i, i+1)
	r.contribute(SectionActions, author, now)
	return nil
}

// OpenActions counts the actions not yet done.
func (r *Retro) OpenActions() int {
	n := 0
	for _, a := range r.Actions {
		if !a.Done {
			n++
		}
	}
	return n
}

// OverdueActions returns the open actions past their due date.
func (r *Retro) OverdueActions(now time.Time) []Action {
	var out []Action
	for _, a := range r.Actions {
		if a.Overdue(now) {
			out = append(out, a)
		}
	}
	return out
}

// DueLayout writes a due date so that ParseDue reads it back unchanged.
const DueLayout = "2006-01-02 15:04"

// ParseDue reads an action's due date: "YYYY-MM-DD" (end of that day in
// now's location), "YYYY-MM-DD HH:MM", "+3d", "+2w", a duration such as
// "+4h", "HH:MM", or RFC 3339. An empty string means no due date.
func ParseDue(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseInLocation("2006-01-02", s, now.Location()); err == nil {
		return d.Add(24*time.Hour - time.Minute), nil
	}
	if d, err := time.ParseInLocation(DueLayout, s, now.Location()); err == nil {
		return d, nil
	}
	if t := strings.TrimPrefix(s, "+"); len(t) > 1 {
		if n, err := strconv.Atoi(t[:len(t)-1]); err == nil && n > 0 {
			// A due date in days or weeks means by the end of that day,
			// as a date does, not the minute it was typed.
			switch t[len(t)-1] {
			case 'd':
				return endOfDay(now.AddDate(0, 0, n)), nil
			case 'w':
				return endOfDay(now.AddDate(0, 0, 7*n)), nil
			}
		}
	}
	if d, err := ParseFuture(s, now); err == nil {
		return d, nil
	}
	return time.Time{}, fmt.Errorf("due date %q is not valid; use YYYY-MM-DD, +3d, +2w or HH:MM", s)
}

// endOfDay is the last minute of t's day, the due time a date gets.
func endOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 23, 59, 0, 0, t.Location())
}

// Status and due time.

// ParseRetroStatus accepts "draft" or "final".
func ParseRetroStatus(s string) (RetroStatus, error) {
	switch RetroStatus(strings.ToLower(strings.TrimSpace(s))) {
	case RetroDraft:
		return RetroDraft, nil
	case RetroFinal:
		return RetroFinal, nil
	}
	return "", fmt.Errorf("retro status %q is not known; use draft or final", s)
}

// SetRetroStatus moves the retro between draft and final. A final retro can
// be reopened as a draft. It reports whether the status changed.
func SetRetroStatus(r *Retro, st RetroStatus) (bool, error) {
	if st != RetroDraft && st != RetroFinal {
		return false, fmt.Errorf("retro status %q is not known; use draft or final", st)
	}
	cur := r.Status
	if cur == "" {
		cur = RetroDraft
	}
	if cur == st {
		r.Status = st
		return false, nil
	}
	r.Status = st
	return true, nil
}

// RetroDue returns when the retro is due: Retro.Due if someone set it, else
// the resolved milestone plus the policy's retro_due_after (2h by default).
// It reports false while neither is known, i.e. the incident is unresolved.
func RetroDue(inc *Incident, p Policy) (time.Time, bool) {
	if !inc.Retro.Due.IsZero() {
		return inc.Retro.Due, true
	}
	resolved := inc.Milestones[MResolved]
	if resolved.IsZero() {
		return time.Time{}, false
	}
	after := p.RetroDueAfter
	if after <= 0 {
		after = DefaultPolicy().RetroDueAfter
	}
	return resolved.Add(after), true
}

// RetroOverdue reports whether the retro is past its due time and still a
// draft, and by how much.
func RetroOverdue(inc *Incident, p Policy, now time.Time) (time.Duration, bool) {
	if inc.Retro.Status == RetroFinal {
		return 0, false
	}
	due, ok := RetroDue(inc, p)
	if !ok || !now.After(due) {
		return 0, false
	}
	return now.Sub(due), true
}
