package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
)

func newShowCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show [ID]",
		Short: "Show one incident with its timeline",
		Args:  maxOneArg("incident id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON {
				// The incident as it stands; its operations are for
				// export --format json, a backup or a teammate's copy.
				// Streamed: a 100,000-entry incident is never in memory.
				_, err := a.writeJSON(args, false, "")
				return err
			}
			inc, err := a.loadIncident(args)
			if err != nil {
				return err
			}
			printIncident(a.stdout, inc, a.now(), a.location())
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON for scripts")
	return cmd
}

// printIncident writes a plain-text view for the terminal. printf cleans
// every piece of user text (titles, role names, people, kinds, tags) so
// nothing typed or imported can drive the terminal. Times are in loc, which
// is named; they carry dates when the incident spans days or its day is
// not today (now's).
func printIncident(w io.Writer, inc *incident.Incident, now time.Time, loc *time.Location) {
	printf(w, "%s  %s  %s  %s\n", inc.Key(), inc.Severity, strings.ToUpper(string(inc.Status)), inc.Title)
	printf(w, "  times in %s\n", config.ZoneName(loc))
	for _, r := range inc.RoleNames() {
		printf(w, "  %s: %s\n", r, inc.Roles[r])
	}
	if inc.WarRoom != "" || inc.PublicChannel != "" {
		printf(w, "  channels: war room %s, public %s\n", orDash(inc.WarRoom), orDash(inc.PublicChannel))
	}
	if !inc.ETA.IsZero() {
		printf(w, "  ETA: %s\n", config.Clock(inc.ETA, now, loc))
	}
	if len(inc.Tags) > 0 {
		printf(w, "  tags: %s\n", strings.Join(inc.Tags, ", "))
	}
	entries := inc.VisibleEntries()
	var times []time.Time
	for _, m := range incident.Milestones {
		times = append(times, inc.Milestones[m])
	}
	for _, e := range entries {
		times = append(times, e.At)
	}
	for _, u := range inc.Updates {
		times = append(times, u.At)
	}
	layout := config.DayLayout(times, now, loc)
	var ms []string
	for _, m := range incident.Milestones {
		if t := inc.Milestones[m]; !t.IsZero() {
			ms = append(ms, fmt.Sprintf("%s %s", m, t.In(loc).Format(layout)))
		}
	}
	if len(ms) > 0 {
		printf(w, "  milestones: %s\n", strings.Join(ms, ", "))
	}
	for _, m := range incident.Metrics(inc.Milestones) {
		if m.Known {
			printf(w, "  %s: %s\n", m.Name, incident.FormatDuration(m.Value))
		}
	}
	printf(w, "\nTimeline (%d entries)\n", len(entries))
	for _, e := range entries {
		star := " "
		if e.Starred {
			star = "*"
		}
		printf(w, "%s %s %-9s %-10s %s\n", star, e.At.In(loc).Format(layout), e.Kind, e.Author, e.Text)
	}
	if len(inc.Updates) > 0 {
		printf(w, "\nPublic updates\n")
		for _, u := range inc.Updates {
			printf(w, "  %s: %s\n", u.At.In(loc).Format(layout), u.Text)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
