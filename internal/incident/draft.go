package incident

import (
	"fmt"
	"strings"
	"time"
)

// TemplateETA names the draft template used while a fix is still pending
// (the incident is investigating or identified and not mitigated) and an ETA
// in the future is set.
const TemplateETA = "eta"

// builtinTemplates are the public update drafts per phase, in the
// handbook's short, plain tone ("Issue identified; team working on
// resolution."). {eta} and {next_update} are filled in by DraftFor.
var builtinTemplates = map[string]string{
	string(Investigating): "Investigating an issue affecting some customers; no ETA yet. Next update by {next_update}.",
	string(Identified):    "Issue identified; team working on resolution. Next update by {next_update}.",
	string(Monitoring):    "A fix is in place; we are watching closely to make sure the issue is fully resolved. Next update by {next_update}.",
	string(Resolved):      "The issue is resolved and everything is working normally again. Thank you for your patience.",
	TemplateETA:           "Ongoing resolution efforts; we expect the issue to be resolved by {eta}. Next update by {next_update}.",
}

// BuiltinTemplate returns the built-in draft template for a status name or
// TemplateETA, or "".
func BuiltinTemplate(name string) string { return builtinTemplates[name] }

// noETA fills {eta} in a template used while no ETA is set.
const noETA = "a time we will share soon"

// DraftPhase is the phase of the incident a public update speaks to:
// investigating, identified, monitoring (a fix is in place: the status is
// monitoring or the mitigated milestone is set) or resolved. A mitigated
// incident is past the fix whatever its status says, so stakeholders are
// not told a fix is still pending after it landed.
func DraftPhase(inc *Incident) Status {
	switch {
	case inc.Status == Resolved:
		return Resolved
	case inc.Status == Monitoring || !inc.Milestones[Mitigated].IsZero():
		return Monitoring
	case inc.Status == Identified:
		return Identified
	default:
		return Investigating
	}
}

// FixPending reports whether the incident still waits for its fix: only
// then does a draft speak of an ETA.
func FixPending(inc *Incident) bool {
	p := DraftPhase(inc)
	return p == Investigating || p == Identified
}

// Draft is a public update draft and the template it came from.
type Draft struct {
	Text string
	// Template names the template used: a phase ("monitoring") or
	// TemplateETA.
	Template string
	// Custom reports that the template came from the config's
	// [templates] rather than the built-in ones.
	Custom bool
}

// Label says which template the draft came from, short enough for the
// comms pane's meta line: "monitoring", "ETA", "custom identified".
func (d Draft) Label() string {
	s := d.Template
	if s == TemplateETA {
		s = "ETA"
	}
	if d.Custom {
		s = "custom " + s
	}
	return s
}

// DraftFor writes the public update draft for the incident's current
// phase; see DraftOf.
func DraftFor(inc *Incident, p Policy, templates map[string]string, now time.Time) string {
	return DraftOf(inc, p, templates, now).Text
}

// DraftOf writes the public update draft for the incident's current phase
// (DraftPhase): the phase's template, or the ETA template while a fix is
// still pending and an ETA in the future is set. templates (config
// [templates]) override the built-in ones by name.
//
// {next_update} is the time the update after this one will be due if this
// one goes out now, from NextUpdateDue; {eta} is the ETA while a fix is
// pending (after that it says no time, since no fix is awaited). Both are
// HH:MM, with the date when not today.
func DraftOf(inc *Incident, p Policy, templates map[string]string, now time.Time) Draft {
	pending := FixPending(inc)
	name := string(DraftPhase(inc))
	if pending && inc.ETA.After(now) {
		name = TemplateETA
	}
	d := Draft{Template: name}
	tmpl, ok := templates[name]
	if ok && strings.TrimSpace(tmpl) != "" {
		d.Custom = true
	} else {
		tmpl = builtinTemplates[name]
	}
	eta := noETA
	if pending && !inc.ETA.IsZero() {
		eta = clock(inc.ETA.In(now.Location()), now)
	}
	next := clock(NextUpdateAfterPublish(inc, p, now).In(now.Location()), now)
	d.Text = strings.NewReplacer("{eta}", eta, "{next_update}", next).Replace(tmpl)
	return d
}

// NextUpdateAfterPublish is when the next public update will be due if one
// is published at now: what NextUpdateDue says once the update is recorded
// and any snooze cleared.
func NextUpdateAfterPublish(inc *Incident, p Policy, now time.Time) time.Time {
	after := Incident{Created: inc.Created, Cadence: inc.Cadence, Updates: []Update{{At: now}}}
	return NextUpdateDue(&after, p)
}

// CountdownState is how urgent the next public update is.
type CountdownState string

// Countdown states. Soon is the last five minutes (shown amber).
const (
	CountdownCounting CountdownState = "counting"
	CountdownSoon     CountdownState = "soon"
	CountdownOverdue  CountdownState = "overdue"
	// CountdownDone: the incident is resolved, so no further update is due
	// (the pane still suggests publishing the resolution if nobody has).
	CountdownDone CountdownState = "done"
)

// SoonWindow is how long before the due time the countdown turns amber.
const SoonWindow = 5 * time.Minute

// Countdown is the state of the countdown to the next public update.
type Countdown struct {
	Due time.Time
	// Remaining is Due minus now: negative once overdue.
	Remaining time.Duration
	State     CountdownState
	// Snoozed reports that /snooze moved the due time.
	Snoozed bool
}

// CountdownAt computes the countdown at now.
func CountdownAt(inc *Incident, p Policy, now time.Time) Countdown {
	due := NextUpdateDue(inc, p)
	c := Countdown{Due: due, Remaining: due.Sub(now), Snoozed: !inc.NextUpdateDue.IsZero()}
	switch {
	case inc.Status == Resolved:
		c.State = CountdownDone
	case c.Remaining < 0:
		c.State = CountdownOverdue
	case c.Remaining <= SoonWindow:
		c.State = CountdownSoon
	default:
		c.State = CountdownCounting
	}
	return c
}

// PublishedResolution reports whether an update was published while the
// incident was resolved.
func PublishedResolution(inc *Incident) bool {
	for _, u := range inc.Updates {
		if u.Status == Resolved {
			return true
		}
	}
	return false
}

// Clock renders the countdown as the pane shows it: "mm:ss" to go, or
// "OVERDUE +mm:ss"; past an hour, "h:mm:ss", because "356:47" reads as a
// time of day rather than six hours late.
func (c Countdown) Clock() string {
	if c.State == CountdownDone {
		return "no further updates due"
	}
	d := c.Remaining
	if d < 0 {
		return "OVERDUE +" + mmss(-d)
	}
	return mmss(d)
}

// mmss formats d as minutes and seconds (hours too past an hour), rounding
// up to the next second while counting down so "00:00" is shown only at the
// due moment.
func mmss(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}
