// Package statuspage writes the public status page of product.md §10: a
// static site that any web server, object store or git host can serve, and
// that opens from file:// on a laptop with no network at all.
//
//	index.html              every open incident (its latest update first),
//	                        then those resolved in the last 30 days
//	incidents/<name>.html   one page per incident with its public updates
//	feed.atom               the Atom feed of the updates of the incidents on the index
//	status.json             the same for scripts and widgets, times in RFC 3339
//
// # What is public
//
// The page is built from what the public channel already said: an
// incident appears once it has a published update, and shows its title,
// severity in words, status, when it was declared, resolved or expects its
// next update and fix, and its updates. Nothing else is read: no timeline,
// roles, retro, drafts or channels (Build takes the incident's head and
// updates, and public copies only those fields). Who published an update
// is shown only when the config allows it (status_page.show_names).
//
// # Safe by construction
//
// html/template escapes every piece of user text for where it lands; the
// text is also cleaned of escape and control sequences and of the bidi
// overrides that make text read differently than it is stored
// (incident.CleanText), and is marked dir="auto" so right-to-left text
// stays in its own box. A Content-Security-Policy forbids scripts and every
// fetch: the one stylesheet is inline and allowed by its hash, the logo is
// a data: URI, links are relative. There is no JavaScript.
//
// # Written safely
//
// Each file is written to a temporary file and renamed into place, so a web
// server never serves half a page, and only files whose bytes changed are
// written, so a sync or rsync moves only what a publish changed. Nothing in
// a page depends on the clock except which resolved incidents are recent,
// so regenerating with nothing new writes nothing.
package statuspage

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
)

// The site's file names.
const (
	IndexFile  = "index.html"
	FeedFile   = export.FeedFile
	StatusFile = "status.json"
	// IncidentDir holds one page per incident.
	IncidentDir = "incidents"
)

// RecentResolved is how long a resolved incident stays on the index.
const RecentResolved = 30 * 24 * time.Hour

// cardUpdates is how many updates an incident shows on the index; its
// own page has them all.
const cardUpdates = 5

// JSONFormat names status.json's format, so a script (and the sync's merge
// driver) can tell it from other JSON.
const JSONFormat = "warroom-status"

// Options shape the page.
type Options struct {
	// Org names the organisation in the header and titles; "" names none.
	Org string
	// Logo is the logo as a data: URI (LoadLogo), or "".
	Logo string
	// ShowNames shows who published each update.
	ShowNames bool
	// Location is the zone times are shown in (nil: time.Local), and Zone
	// its name for people ("Europe/Berlin"); "" means Location's name.
	Location *time.Location
	Zone     string
	// Policy gives the update cadence, for when the next update is due.
	Policy incident.Policy
}

//go:embed style.css
var styleSheet string

//go:embed page.html.tmpl
var pageTemplate string

var pages = template.Must(template.New("page").Parse(pageTemplate))

// CSP is the Content-Security-Policy every page carries: nothing may load
// or run but the page's own stylesheet (by its hash) and data: images (the
// logo). Scripts are forbidden outright by default-src 'none'.
var CSP = "default-src 'none'; style-src 'sha256-" + styleHash(styleSheet) + "'; img-src data:; base-uri 'none'; form-action 'none'"

func styleHash(css string) string {
	sum := sha256.Sum256([]byte(css))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// Build renders the site for incs (each with its head and updates; the
// timeline is never read) as file contents by path relative to the
// site's directory, with slash separators. now only decides which
// resolved incidents are recent enough for the index.
func Build(incs []*incident.Incident, opts Options, now time.Time) (map[string][]byte, error) {
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.Zone == "" {
		opts.Zone = opts.Location.String()
	}
	pubs := publicIncidents(incs, opts)
	files := make(map[string][]byte, len(pubs)+3)
	var latest time.Time
	for _, p := range pubs {
		if at := p.updates[0].At; at.After(latest) {
			latest = at
		}
	}
	base := page{Org: opts.Org, Logo: template.URL(opts.Logo), CSS: template.CSS(styleSheet), CSP: CSP, Zone: opts.Zone, Updated: stampOf(latest, opts.Location)}

	var open, resolved []*public
	for _, p := range pubs {
		switch {
		case p.open:
			open = append(open, p)
		case !p.resolved.Before(now.Add(-RecentResolved)):
			resolved = append(resolved, p)
		}
		pg := base
		pg.Root = "../"
		// Only the index says when the site last changed: an incident's
		// page changes with its own updates only.
		pg.Updated = stamp{}
		pg.PageTitle = titleWith(p.title, opts.Org)
		pg.Incident = p.view(opts, "", -1)
		data, err := render("incident", pg)
		if err != nil {
			return nil, err
		}
		files[IncidentDir+"/"+p.name+".html"] = data
	}
	// The most severe open incident first, then the most recently
	// updated; resolved ones by when they were resolved, latest first.
	slices.SortStableFunc(open, func(a, b *public) int {
		return cmp.Or(cmp.Compare(a.severity, b.severity), b.updates[0].At.Compare(a.updates[0].At), strings.Compare(a.name, b.name))
	})
	slices.SortStableFunc(resolved, func(a, b *public) int {
		return cmp.Or(b.resolved.Compare(a.resolved), strings.Compare(a.name, b.name))
	})

	idx := base
	idx.Heading = "Current status"
	if opts.Org != "" {
		idx.Heading = opts.Org + " status"
	}
	idx.PageTitle = idx.Heading
	switch len(open) {
	case 0:
		idx.Summary = "No open incidents."
	case 1:
		idx.Summary = "1 open incident."
	default:
		idx.Summary = strconv.Itoa(len(open)) + " open incidents."
	}
	for _, p := range open {
		idx.Open = append(idx.Open, p.view(opts, IncidentDir+"/", cardUpdates))
	}
	for _, p := range resolved {
		idx.Resolved = append(idx.Resolved, p.view(opts, IncidentDir+"/", cardUpdates))
	}
	data, err := render("index", idx)
	if err != nil {
		return nil, err
	}
	files[IndexFile] = data

	if files[StatusFile], err = statusJSON(open, resolved, opts, latest); err != nil {
		return nil, err
	}
	if files[FeedFile], err = feed(append(slices.Clone(open), resolved...), opts, latest); err != nil {
		return nil, err
	}
	return files, nil
}

// page is what the templates are executed with.
type page struct {
	Org       string
	Logo      template.URL
	CSS       template.CSS
	CSP       string
	Zone      string
	Updated   stamp
	Root      string // "" on the index, "../" on an incident page
	PageTitle string
	Heading   string
	Summary   string
	Open      []card
	Resolved  []card
	Incident  card
}

// card is one incident as a page shows it.
type card struct {
	Name, Href          string
	Title               string
	Status, StatusWords string
	SeverityWords       string
	Open                bool
	Declared, Resolved  stamp
	NextDue             stamp
	Latest              *updateView
	Earlier             []updateView
	More, Total         int
}

type updateView struct {
	Latest              bool
	Status, StatusWords string
	At                  stamp
	Author              string
	Text                string
}

// stamp is a time as a <time> element carries it: ISO for machines, Shown
// for people, in the page's zone and naming it.
type stamp struct{ ISO, Shown string }

func stampOf(t time.Time, loc *time.Location) stamp {
	if t.IsZero() {
		return stamp{}
	}
	t = t.In(loc)
	return stamp{ISO: t.Format(time.RFC3339), Shown: t.Format("Mon 2 Jan 2006, 15:04 MST")}
}

// public is the part of an incident the page may show, cleaned.
type public struct {
	uid, name, title string
	severity         incident.Severity
	status           incident.Status
	open             bool
	declared         time.Time
	resolved         time.Time
	nextDue          time.Time
	updates          []incident.Update // newest first
	feedCopy         *incident.Incident
}

// publicIncidents copies the public fields of every incident that has a
// published update.
func publicIncidents(incs []*incident.Incident, opts Options) []*public {
	// The feed numbers incidents as the repository does, by when they
	// were declared, not by this database's INC-n: every laptop writes
	// the same feed for the same incidents.
	order := slices.Clone(incs)
	slices.SortStableFunc(order, func(a, b *incident.Incident) int {
		return cmp.Or(a.Created.Compare(b.Created), strings.Compare(a.UID, b.UID))
	})
	var out []*public
	for i, inc := range order {
		if len(inc.Updates) == 0 {
			continue
		}
		p := &public{
			uid:      inc.UID,
			name:     export.BaseName(inc),
			title:    cmp.Or(strings.TrimSpace(incident.CleanLine(inc.Title)), "Untitled incident"),
			severity: inc.Severity,
			declared: inc.Created,
		}
		p.updates = make([]incident.Update, len(inc.Updates))
		for j, u := range inc.Updates {
			pu := incident.Update{ID: u.ID, UID: u.UID, At: u.At, Status: u.Status, Text: strings.TrimSpace(incident.CleanText(u.Text)), Seq: u.Seq}
			if opts.ShowNames {
				pu.Author = strings.TrimSpace(incident.CleanLine(u.Author))
			}
			p.updates[j] = pu
		}
		slices.SortStableFunc(p.updates, func(a, b incident.Update) int {
			return cmp.Or(b.At.Compare(a.At), cmp.Compare(b.Seq, a.Seq), cmp.Compare(b.ID, a.ID))
		})
		// The status is the one the latest update was published in: what
		// the public channel said, not what the war room has moved on to
		// since (resolved before the resolution is announced, say). The
		// ETA is not shown: the war room sets it, and only the text of an
		// update says it to customers.
		p.status = cmp.Or(p.updates[0].Status, inc.Status)
		p.open = p.status != incident.Resolved
		if p.open {
			p.nextDue = incident.NextUpdateDue(inc, opts.Policy)
		} else {
			p.resolved = p.updates[0].At
			if m := inc.Milestones[incident.MResolved]; !m.IsZero() && m.Before(p.resolved) {
				p.resolved = m
			}
		}
		// The feed gets a copy holding only what is public.
		p.feedCopy = &incident.Incident{ID: int64(i + 1), UID: inc.UID, Title: p.title, Created: inc.Created, Updated: p.updates[0].At, Updates: p.updates}
		out = append(out, p)
	}
	return out
}

// view is p as a card: hrefPrefix leads to its page, and at most shown
// updates appear (all when shown < 0).
func (p *public) view(opts Options, hrefPrefix string, shown int) card {
	c := card{
		Name:          p.name,
		Href:          hrefPrefix + p.name + ".html",
		Title:         p.title,
		Status:        string(p.status),
		StatusWords:   StatusWords(p.status),
		SeverityWords: SeverityWords(p.severity),
		Open:          p.open,
		Declared:      stampOf(p.declared, opts.Location),
		Resolved:      stampOf(p.resolved, opts.Location),
		NextDue:       stampOf(p.nextDue, opts.Location),
		Total:         len(p.updates),
	}
	n := len(p.updates)
	if shown >= 0 && n > shown {
		c.More = n - shown
		n = shown
	}
	views := make([]updateView, n)
	for i, u := range p.updates[:n] {
		views[i] = updateView{Latest: i == 0, Status: string(u.Status), StatusWords: StatusWords(u.Status), At: stampOf(u.At, opts.Location), Author: u.Author, Text: u.Text}
	}
	c.Latest, c.Earlier = &views[0], views[1:]
	return c
}

// SeverityWords says a severity in words for people outside the war room.
func SeverityWords(s incident.Severity) string {
	switch s {
	case 1:
		return "Critical"
	case 2:
		return "Major"
	case 3:
		return "Minor"
	case 4:
		return "Low"
	}
	return "Not set"
}

// StatusWords is a status as the page says it.
func StatusWords(s incident.Status) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

func titleWith(title, org string) string {
	if org == "" {
		return title + " — status"
	}
	return title + " — " + org + " status"
}

func render(name string, p page) ([]byte, error) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// feed is the Atom feed of the incidents on the index (open, and resolved
// in the last 30 days), from their public copies: its entries are those of
// warroom's other feeds (export.AtomNamed), newest first. A reader polls
// it, so it carries what is current rather than every update ever (at
// 1,000 incidents that is most of the site's bytes); its id names the
// organisation's status page, so it stays the same as incidents come and
// go, and it is dated by the latest update so an unchanged site writes
// the same bytes.
func feed(shown []*public, opts Options, latest time.Time) ([]byte, error) {
	incs := make([]*incident.Incident, len(shown))
	for i, p := range shown {
		incs[i] = p.feedCopy
	}
	title := "Status updates"
	if opts.Org != "" {
		title = opts.Org + " status updates"
	}
	return export.AtomNamed(incs, "status-page:"+opts.Org, title, "Public updates of open and recently resolved incidents, newest first", latest)
}

// Status is status.json: a summary for a script or a widget.
type Status struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Org     string `json:"org,omitzero"`
	// Updated is the time of the latest update on the page.
	Updated   string           `json:"updated,omitzero"`
	TimeZone  string           `json:"time_zone"`
	Incidents []StatusIncident `json:"incidents"`
}

// StatusIncident is one incident in status.json: the open ones first
// (most severe first), then those resolved in the last 30 days.
type StatusIncident struct {
	ID            string         `json:"id"` // the incident's uid, the same on every laptop
	Page          string         `json:"page"`
	Title         string         `json:"title"`
	Severity      string         `json:"severity"` // "SEV2"
	SeverityWords string         `json:"severity_words"`
	Status        string         `json:"status"`
	Open          bool           `json:"open"`
	Declared      string         `json:"declared"`
	Resolved      string         `json:"resolved,omitzero"`
	NextUpdateDue string         `json:"next_update_due,omitzero"`
	Updates       []StatusUpdate `json:"updates"` // newest first
}

// StatusUpdate is one public update in status.json.
type StatusUpdate struct {
	ID     string `json:"id"`
	At     string `json:"at"`
	Status string `json:"status,omitzero"`
	Text   string `json:"text"`
	Author string `json:"author,omitzero"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func statusJSON(open, resolved []*public, opts Options, latest time.Time) ([]byte, error) {
	s := Status{Format: JSONFormat, Version: 1, Org: opts.Org, Updated: rfc3339(latest), TimeZone: opts.Zone, Incidents: []StatusIncident{}}
	for _, p := range append(slices.Clone(open), resolved...) {
		si := StatusIncident{
			ID: p.uid, Page: IncidentDir + "/" + p.name + ".html", Title: p.title,
			Severity: p.severity.String(), SeverityWords: SeverityWords(p.severity),
			Status: string(p.status), Open: p.open, Declared: rfc3339(p.declared),
			Resolved: rfc3339(p.resolved), NextUpdateDue: rfc3339(p.nextDue),
			Updates: make([]StatusUpdate, len(p.updates)),
		}
		for i, u := range p.updates {
			si.Updates[i] = StatusUpdate{ID: u.UID, At: rfc3339(u.At), Status: string(u.Status), Text: u.Text, Author: u.Author}
		}
		s.Incidents = append(s.Incidents, si)
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
