package export

import (
	"bytes"
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Options shape a Markdown export.
type Options struct {
	// Policy supplies the gap threshold and the retro due time.
	Policy incident.Policy
	// Location is the time zone times are shown in; nil means time.Local.
	Location *time.Location
	// Zone names that zone in the export ("Europe/Berlin"); "" means the
	// Location's own name.
	Zone string
	// Template is the text of a user text/template replacing the built-in
	// layout (config export_template, read with LoadTemplate); "" means the
	// built-in one. It is executed with a Data value.
	Template string
}

//go:embed incident.md.tmpl
var builtinTemplate string

// BuiltinTemplate returns the text of the built-in layout, a starting point
// for a custom export_template.
func BuiltinTemplate() string { return builtinTemplate }

var builtin = template.Must(newTemplate().Parse(builtinTemplate))

// Funcs are the functions a template may call besides the text/template
// built-ins: md escapes text for one line (Inline), para for body text
// (Paragraphs), and join joins strings with a separator.
func newTemplate() *template.Template {
	return template.New("export").Option("missingkey=error").Funcs(template.FuncMap{
		"md":   Inline,
		"para": Paragraphs,
		"join": func(sep string, s []string) string { return strings.Join(s, sep) },
	})
}

// LoadTemplate reads and checks a user export template. A missing file is an
// error: the config names it, so the user expects it to be used.
func LoadTemplate(path string) (string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("the export template %s does not exist; create it or remove export_template from the config", path)
	}
	if err != nil {
		return "", fmt.Errorf("cannot read the export template %s: %v", path, err)
	}
	if _, err := newTemplate().Parse(string(data)); err != nil {
		return "", fmt.Errorf("the export template %s is not a valid Go template: %v", path, err)
	}
	return string(data), nil
}

// Data is what an export template is executed with. Every string that comes
// from users is already cleaned and escaped for Markdown (one-line strings
// with Inline, multi-line ones with Paragraphs), so a template can place
// fields anywhere without letting user text change the document's structure.
// Times are formatted in Options.Location; "—" stands for unknown values.
type Data struct {
	ID       string // "INC-7"
	Title    string // one line, escaped
	Severity string // "SEV2"
	Status   string // "monitoring"
	// Meta is the metadata table: severity, status, declared, milestones,
	// ETA, channels, tags, retro status and due.
	Meta []Field
	// Roles lists every role the incident has had, resolution lead and
	// communication lead first, each with all its holders.
	Roles []Role
	// Introduction is the retro's Introduction section text (paragraphs),
	// "" if not written.
	Introduction string
	// Metrics are time to detect, acknowledge, mitigate and resolve.
	Metrics []Field
	// Updates are the public updates in time order.
	Updates []UpdateLine
	// Handovers are the briefs written when a role changed hands, one
	// line each.
	Handovers []UpdateLine
	// TimelineNote, WhysNote and ActionsNote are the text of the retro's
	// Timeline, Five whys and Actions sections (paragraphs), if any.
	TimelineNote, WhysNote, ActionsNote string
	// Timeline holds visible entries in time order with gap rows between
	// entries further apart than GapThreshold.
	Timeline []Row
	// Findings are the possible deficiencies the retro screen finds: late
	// and missed public updates against the cadence in force, slow
	// detection and acknowledgement, gaps, unnamed roles.
	Findings     []FindingLine
	GapThreshold string // "15m"
	// MultiDay reports that the incident spans more than one day, in which
	// case every time carries its date.
	MultiDay bool
	// Zone names the time zone every time in the document is in.
	Zone string
	Whys []WhyLine
	// RootCause is the "because" of the why marked as root cause, if any.
	RootCause string
	// Factors are the contributing factors beside the chain.
	Factors   []FactorLine
	Immediate []ActionRow
	LongTerm  []ActionRow
	// Review holds the review meeting's comments, in the order made.
	Review []ReviewLine
	// Sections are the retro sections other than the four the layout
	// places itself (Introduction, Timeline, Five whys, Actions).
	Sections []SectionBlock
	// Contributors are everyone who wrote an entry, an update or a piece
	// of the retro, sorted by name.
	Contributors []string
}

// Field is one name/value pair.
type Field struct{ Name, Value string }

// Role is one role, the person holding it at the end ("" when nobody
// does), and everyone who held it with when ("amara (12:01–12:30), dmitri
// (from 12:30)").
type Role struct{ Name, Person, Holders string }

// UpdateLine is one public update.
type UpdateLine struct {
	Time   string // "12:40", or "2026-05-04 12:40" when MultiDay
	Author string
	Status string
	Text   string
	// Backfilled: published then, recorded later (and never delivered).
	Backfilled bool
}

// Row is one line of the timeline: an entry, or a gap when Gap is set.
type Row struct {
	Time    string
	Author  string
	Kind    string
	Text    string
	Starred bool
	// Gap, when not "", is the length of a silence before the next entry
	// ("18m"); Time is then the span "13:10–13:28" and the rest is empty.
	Gap string
}

// WhyLine is one step of the five whys.
type WhyLine struct {
	N         int
	Why       string
	Because   string
	RootCause bool
}

// FactorLine is one contributing factor.
type FactorLine struct {
	N     int
	Cause string
	Lucky bool
	// Evidence describes each linked timeline entry ("12:31 amara: text
	// (#14)"), or says it was deleted.
	Evidence []string
}

// ReviewLine is one comment from the review meeting.
type ReviewLine struct {
	Time, Author, Section, Text string
}

// ActionRow is one action item.
type ActionRow struct {
	Title  string
	Owner  string // "—" when nobody owns it yet
	Due    string // date, or "—"
	Status string // "open" or "done"
	Link   string // escaped, "" if none
	// Addresses names the factor or why the action addresses ("factor 2"),
	// "" for none.
	Addresses string
}

// SectionBlock is one extra retro section.
type SectionBlock struct {
	Title        string
	Text         string // paragraphs, "" if not written
	Contributors []string
}

const dash = "—"

// Markdown renders inc as the retrospective document of product.md §4.
func Markdown(inc *incident.Incident, opts Options) ([]byte, error) {
	t := builtin
	if opts.Template != "" {
		var err error
		if t, err = newTemplate().Parse(opts.Template); err != nil {
			return nil, fmt.Errorf("the export template is not a valid Go template: %v", err)
		}
	}
	var buf bytes.Buffer
	buf.Grow(256 + 96*len(inc.Entries))
	if err := t.Execute(&buf, NewData(inc, opts)); err != nil {
		return nil, fmt.Errorf("the export template failed on %s: %v", inc.Key(), err)
	}
	return buf.Bytes(), nil
}

// NewData prepares the template data of inc.
func NewData(inc *incident.Incident, opts Options) *Data {
	loc := opts.Location
	if loc == nil {
		loc = time.Local
	}
	gap := opts.Policy.GapThreshold
	if gap <= 0 {
		gap = incident.DefaultPolicy().GapThreshold
	}
	entries := inc.VisibleEntries()
	d := &Data{
		ID:           inc.Key(),
		Title:        Inline(inc.Title),
		Severity:     inc.Severity.String(),
		Status:       Inline(string(inc.Status)),
		GapThreshold: incident.FormatDuration(gap),
		MultiDay:     spansDays(inc, entries, loc),
		Zone:         zoneName(opts.Zone, loc),
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return dash
		}
		if d.MultiDay {
			return t.In(loc).Format("2006-01-02 15:04")
		}
		return t.In(loc).Format("15:04")
	}
	full := func(t time.Time) string {
		if t.IsZero() {
			return dash
		}
		return t.In(loc).Format("2006-01-02 15:04 MST")
	}

	// Metadata.
	d.Meta = append(d.Meta, Field{"Severity", d.Severity}, Field{"Status", d.Status}, Field{"Declared", full(inc.Created)})
	for _, m := range incident.Milestones {
		if t := inc.Milestones[m]; !t.IsZero() {
			d.Meta = append(d.Meta, Field{titleCase(string(m)), full(t)})
		}
	}
	if !inc.ETA.IsZero() {
		d.Meta = append(d.Meta, Field{"ETA", full(inc.ETA)})
	}
	if inc.WarRoom != "" {
		d.Meta = append(d.Meta, Field{"War room", Inline(inc.WarRoom)})
	}
	if inc.PublicChannel != "" {
		d.Meta = append(d.Meta, Field{"Public channel", Inline(inc.PublicChannel)})
	}
	if inc.Cadence > 0 {
		d.Meta = append(d.Meta, Field{"Public updates every", incident.FormatDuration(inc.Cadence)})
	}
	if len(inc.Tags) > 0 {
		tags := make([]string, len(inc.Tags))
		for i, t := range inc.Tags {
			tags[i] = Inline(t)
		}
		d.Meta = append(d.Meta, Field{"Tags", strings.Join(tags, ", ")})
	}
	retroStatus := inc.Retro.Status
	if retroStatus == "" {
		retroStatus = incident.RetroDraft
	}
	retro := Inline(string(retroStatus))
	if due, ok := incident.RetroDue(inc, opts.Policy); ok {
		retro += ", due " + full(due)
	}
	d.Meta = append(d.Meta, Field{"Retro", retro})

	d.Roles = roleLines(inc, when)
	d.Findings = findingLines(inc, opts.Policy, loc, when)

	for _, m := range incident.Metrics(inc.Milestones) {
		v := dash
		if m.Known {
			v = incident.FormatDuration(m.Value)
		}
		d.Metrics = append(d.Metrics, Field{titleCase(m.Name), v})
	}

	updates := slices.Clone(inc.Updates)
	slices.SortStableFunc(updates, func(a, b incident.Update) int { return a.At.Compare(b.At) })
	deleted := deletedTexts(inc)
	for _, e := range entries {
		if e.Kind == incident.KindHandover {
			text := withoutDeleted(e.Text, deleted)
			d.Handovers = append(d.Handovers, UpdateLine{Time: when(e.At), Author: Inline(e.Author), Text: Inline(strings.ReplaceAll(text, "\n", " · "))})
		}
	}
	for _, u := range updates {
		d.Updates = append(d.Updates, UpdateLine{Time: when(u.At), Author: Inline(u.Author), Status: Inline(string(u.Status)), Text: Inline(u.Text), Backfilled: u.Backfilled})
	}

	d.Timeline = make([]Row, 0, len(entries)+len(entries)/8)
	for i, e := range entries {
		if i > 0 {
			prev := entries[i-1].At
			if silence := e.At.Sub(prev); silence > gap {
				d.Timeline = append(d.Timeline, Row{Time: when(prev) + "–" + when(e.At), Gap: incident.FormatDuration(silence)})
			}
		}
		d.Timeline = append(d.Timeline, Row{Time: when(e.At), Author: Inline(e.Author), Kind: Inline(string(e.Kind)), Text: Inline(withoutDeleted(sharedEntryText(e, when(e.At)), deleted)), Starred: e.Starred})
	}

	n := 0
	for _, w := range inc.Retro.Whys {
		if strings.TrimSpace(w.Why) == "" && strings.TrimSpace(w.Because) == "" {
			continue
		}
		n++
		d.Whys = append(d.Whys, WhyLine{N: n, Why: Inline(w.Why), Because: Inline(w.Because), RootCause: w.RootCause})
		if w.RootCause && d.RootCause == "" {
			d.RootCause = Inline(w.Because)
			if d.RootCause == "" {
				d.RootCause = Inline(w.Why)
			}
		}
	}

	for i, f := range inc.Retro.Factors {
		fl := FactorLine{N: i + 1, Cause: Inline(f.Cause), Lucky: f.Lucky}
		for _, l := range inc.Evidence(f) {
			switch {
			case l.Entry.ID == 0:
				fl.Evidence = append(fl.Evidence, "a timeline entry that is not in this copy")
			case l.Deleted:
				fl.Evidence = append(fl.Evidence, fmt.Sprintf("entry #%d, since deleted", l.Entry.ID))
			default:
				fl.Evidence = append(fl.Evidence, fmt.Sprintf("%s %s: %s (#%d)", when(l.Entry.At), Inline(l.Entry.Author), Inline(l.Entry.Text), l.Entry.ID))
			}
		}
		d.Factors = append(d.Factors, fl)
	}
	for _, c := range inc.Retro.Review {
		d.Review = append(d.Review, ReviewLine{Time: when(c.At), Author: Inline(c.Author), Section: Inline(c.Section), Text: Inline(c.Text)})
	}

	for _, a := range inc.Retro.Actions {
		row := ActionRow{Title: Inline(a.Title), Owner: orDash(Inline(a.Owner)), Due: dash, Status: "open", Link: Inline(a.Link), Addresses: inc.Retro.AddressLabel(a.Addresses)}
		if !a.Due.IsZero() {
			row.Due = a.Due.In(loc).Format("2006-01-02")
		}
		if a.Done {
			row.Status = "done"
		}
		if a.Kind == incident.LongTerm {
			d.LongTerm = append(d.LongTerm, row)
		} else {
			d.Immediate = append(d.Immediate, row)
		}
	}

	people := map[string]bool{}
	add := func(who string) {
		if w := Inline(who); w != "" {
			people[w] = true
		}
	}
	for _, e := range entries {
		add(e.Author)
	}
	for _, u := range inc.Updates {
		add(u.Author)
	}
	for _, w := range inc.Retro.Whys {
		add(w.Author)
	}
	for _, a := range inc.Retro.Actions {
		add(a.Author)
	}
	for _, f := range inc.Retro.Factors {
		add(f.Author)
	}
	for _, c := range inc.Retro.Review {
		add(c.Author)
	}
	// Headings read differently from each other (markdownlint MD024): a
	// retro section or a prose heading named like one of the layout's
	// own is told apart.
	seen := layoutHeadings(len(d.Handovers) > 0, len(d.Findings) > 0)
	var sectionTitles []string
	sectionIndex := 0
	for _, s := range inc.Retro.Sections {
		switch strings.ToLower(strings.TrimSpace(s.Title)) {
		case "introduction", "timeline", "five whys", "actions":
		default:
			t := uniqueHeading(cmp.Or(Inline(s.Title), "Untitled section"), seen)
			sectionTitles = append(sectionTitles, t)
		}
	}
	for _, s := range inc.Retro.Sections {
		for _, c := range s.Contributors {
			add(c)
		}
		// Section prose keeps its Markdown; its headings nest below the
		// section's own (## in the built-in layout).
		text := proseIn(s.Text, 2, seen)
		// Then each person's own perspective, under their name (bold,
		// not a heading, so its headings too sit one below the section's).
		for _, p := range s.Perspectives {
			if pt := proseIn(p.Text, 2, seen); pt != "" {
				if text != "" {
					text += "\n\n"
				}
				text += "**" + Inline(p.Author) + "'s perspective:**\n\n" + pt
			}
		}
		switch strings.ToLower(strings.TrimSpace(s.Title)) {
		case "introduction":
			d.Introduction = text
		case "timeline":
			d.TimelineNote = text
		case "five whys":
			d.WhysNote = text
		case "actions":
			d.ActionsNote = text
		default:
			blk := SectionBlock{Title: sectionTitles[sectionIndex], Text: text}
			sectionIndex++
			for _, c := range s.Contributors {
				if c := Inline(c); c != "" {
					blk.Contributors = append(blk.Contributors, c)
				}
			}
			d.Sections = append(d.Sections, blk)
		}
	}
	for p := range people {
		d.Contributors = append(d.Contributors, p)
	}
	slices.Sort(d.Contributors)
	return d
}

// spansDays reports whether the incident's entries and milestones fall on
// more than one calendar day in loc.
func spansDays(inc *incident.Incident, entries []incident.Entry, loc *time.Location) bool {
	var first, last time.Time
	see := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	if len(entries) > 0 {
		see(entries[0].At)
		see(entries[len(entries)-1].At)
	}
	for _, t := range inc.Milestones {
		see(t)
	}
	for _, u := range inc.Updates {
		see(u.At)
	}
	if first.IsZero() {
		return false
	}
	y1, m1, d1 := first.In(loc).Date()
	y2, m2, d2 := last.In(loc).Date()
	return y1 != y2 || m1 != m2 || d1 != d2
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func orDash(s string) string {
	if s == "" {
		return dash
	}
	return s
}

// zoneName is the zone an export names: the caller's name for it, else the
// location's, with "Local" (which says nothing to a reader elsewhere)
// spelled as the zone's abbreviation and offset.
func zoneName(name string, loc *time.Location) string {
	if name != "" {
		return name
	}
	if loc.String() != "Local" {
		return loc.String()
	}
	abbr, off := time.Now().In(loc).Zone()
	return fmt.Sprintf("%s (UTC%+03d:%02d)", abbr, off/3600, (off%3600)/60)
}
