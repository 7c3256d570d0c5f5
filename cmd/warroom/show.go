package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
)

func newShowCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show [ID]",
		Short: "Show one incident with its timeline",
		Args:  maxOneArg("incident id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			inc, err := a.loadIncident(args)
			if err != nil {
				return err
			}
			if asJSON {
				// The incident as it stands; its operations are for
				// export --format json, a backup or a teammate's copy.
				inc.Ops = nil
				data, err := export.JSON(inc, a.cfg.Policy())
				if err != nil {
					return err
				}
				_, err = a.stdout.Write(data)
				return err
			}
			printIncident(a.stdout, inc)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON for scripts")
	return cmd
}

// printIncident writes a plain-text view for the terminal. printf cleans
// every piece of user text (titles, role names, people, kinds, tags) so
// nothing typed or imported can drive the terminal.
func printIncident(w io.Writer, inc *incident.Incident) {
	printf(w, "%s  %s  %s  %s\n", inc.Key(), inc.Severity, strings.ToUpper(string(inc.Status)), inc.Title)
	for _, r := range inc.RoleNames() {
		printf(w, "  %s: %s\n", r, inc.Roles[r])
	}
	if inc.WarRoom != "" || inc.PublicChannel != "" {
		printf(w, "  channels: war room %s, public %s\n", orDash(inc.WarRoom), orDash(inc.PublicChannel))
	}
	if !inc.ETA.IsZero() {
		printf(w, "  ETA: %s\n", inc.ETA.Local().Format("2006-01-02 15:04"))
	}
	if len(inc.Tags) > 0 {
		printf(w, "  tags: %s\n", strings.Join(inc.Tags, ", "))
	}
	var ms []string
	for _, m := range incident.Milestones {
		if t := inc.Milestones[m]; !t.IsZero() {
			ms = append(ms, fmt.Sprintf("%s %s", m, t.Local().Format("15:04")))
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
	entries := inc.VisibleEntries()
	multiDay := len(entries) > 0 && entries[0].At.Local().YearDay() != entries[len(entries)-1].At.Local().YearDay()
	layout := "15:04"
	if multiDay {
		layout = "Jan 02 15:04"
	}
	printf(w, "\nTimeline (%d entries)\n", len(entries))
	for _, e := range entries {
		star := " "
		if e.Starred {
			star = "*"
		}
		printf(w, "%s %s %-9s %-10s %s\n", star, e.At.Local().Format(layout), e.Kind, e.Author, e.Text)
	}
	if len(inc.Updates) > 0 {
		printf(w, "\nPublic updates\n")
		for _, u := range inc.Updates {
			printf(w, "  %s: %s\n", u.At.Local().Format("15:04"), u.Text)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
