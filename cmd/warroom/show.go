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

// printIncident writes a plain-text view for the terminal. Every piece of
// user text goes through CleanLine so nothing typed can drive the terminal.
func printIncident(w io.Writer, inc *incident.Incident) {
	c := incident.CleanLine
	fmt.Fprintf(w, "%s  %s  %s  %s\n", inc.Key(), inc.Severity, strings.ToUpper(string(inc.Status)), c(inc.Title))
	for _, r := range inc.RoleNames() {
		fmt.Fprintf(w, "  %s: %s\n", r, c(inc.Roles[r]))
	}
	if inc.WarRoom != "" || inc.PublicChannel != "" {
		fmt.Fprintf(w, "  channels: war room %s, public %s\n", c(orDash(inc.WarRoom)), c(orDash(inc.PublicChannel)))
	}
	if !inc.ETA.IsZero() {
		fmt.Fprintf(w, "  ETA: %s\n", inc.ETA.Local().Format("2006-01-02 15:04"))
	}
	if len(inc.Tags) > 0 {
		fmt.Fprintf(w, "  tags: %s\n", c(strings.Join(inc.Tags, ", ")))
	}
	var ms []string
	for _, m := range incident.Milestones {
		if t := inc.Milestones[m]; !t.IsZero() {
			ms = append(ms, fmt.Sprintf("%s %s", m, t.Local().Format("15:04")))
		}
	}
	if len(ms) > 0 {
		fmt.Fprintf(w, "  milestones: %s\n", strings.Join(ms, ", "))
	}
	for _, m := range incident.Metrics(inc.Milestones) {
		if m.Known {
			fmt.Fprintf(w, "  %s: %s\n", m.Name, incident.FormatDuration(m.Value))
		}
	}
	entries := inc.VisibleEntries()
	multiDay := len(entries) > 0 && entries[0].At.Local().YearDay() != entries[len(entries)-1].At.Local().YearDay()
	layout := "15:04"
	if multiDay {
		layout = "Jan 02 15:04"
	}
	fmt.Fprintf(w, "\nTimeline (%d entries)\n", len(entries))
	for _, e := range entries {
		star := " "
		if e.Starred {
			star = "*"
		}
		fmt.Fprintf(w, "%s %s %-9s %-10s %s\n", star, e.At.Local().Format(layout), e.Kind, c(e.Author), c(e.Text))
	}
	if len(inc.Updates) > 0 {
		fmt.Fprintln(w, "\nPublic updates")
		for _, u := range inc.Updates {
			fmt.Fprintf(w, "  %s: %s\n", u.At.Local().Format("15:04"), c(u.Text))
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
