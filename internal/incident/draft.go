package incident

import (
	"fmt"
	"strings"
	"time"
)

// TemplateETA names the draft template used while an ETA in the future is
// set, whatever the status.
const TemplateETA = "eta"

// builtinTemplates are the public update drafts per status, in the
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

// DraftFor writes the public update draft for the incident's current state:
// the template for its status, or the ETA template while an ETA in the future
// is set and the incident is not resolved. templates (config [templates])
// override the built-in ones by name.
//
// {next_update} is the time the update after this one will be due if this
// one goes out now, from NextUpdateDue; {eta} is the ETA. Both are HH:MM,
// with the date when not today.
func DraftFor(inc *Incident, p Policy, templates map[string]string, now time.Time) string {
	name := string(inc.Status)
	if inc.Status != Resolved && inc.ETA.After(now) {
		name = TemplateETA
	}
	tmpl, ok := templates[name]
	if !ok || strings.TrimSpace(tmpl) == "" {
		tmpl = builtinTemplates[name]
	}
	if tmpl == "" {
		tmpl = builtinTemplates[string(Investigating)]
	}
	eta := noETA
	if !inc.ETA.IsZero() {
		eta = clock(inc.ETA.In(now.Location()), now)
	}
	next := clock(NextUpdateAfterPublish(inc, p, now).In(now.Location()), now)
	return strings.NewReplacer("{eta}", eta, "{next_update}", next).Replace(tmpl)
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
