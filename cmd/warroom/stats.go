package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/export"
)

func newStatsCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Trends across all incidents: by month and severity, time to resolve, open actions, tags",
		Long: `Stats summarises every incident in the database: incidents by month and severity,
median and 90th percentile time to resolve, how often public updates went out on time,
open and overdue retro action items (the ten oldest overdue ones; warroom actions
--overdue lists all), and the most frequent tags. --json prints the same
for scripts.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.openExisting()
			if err != nil {
				return err
			}
			// Stats reads the incidents' summaries only (see
			// store/summary.go): no JSON, no timeline.
			incs, err := st.StatsIncidents()
			if err != nil {
				return err
			}
			s := export.ComputeStats(incs, a.now(), a.cfg.Policy())
			if asJSON {
				return a.printJSON(s)
			}
			printStats(a.stdout, s, a.location())
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON for scripts")
	return cmd
}

// maxOverdueShown is how many overdue actions stats lists.
const maxOverdueShown = 10

func printStats(w io.Writer, s export.Stats, loc *time.Location) {
	if s.Incidents == 0 {
		printf(w, "No incidents yet. Declare one with: warroom new TITLE (or try warroom demo)\n")
		return
	}
	printf(w, "Incidents: %d (%d open)\n", s.Incidents, s.Open)
	printf(w, "By severity: SEV1 %d, SEV2 %d, SEV3 %d, SEV4 %d\n", s.BySeverity["SEV1"], s.BySeverity["SEV2"], s.BySeverity["SEV3"], s.BySeverity["SEV4"])
	printf(w, "By month:\n")
	for _, m := range s.ByMonth {
		var parts []string
		for _, sev := range []string{"SEV1", "SEV2", "SEV3", "SEV4"} {
			if n := m.BySeverity[sev]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", sev, n))
			}
		}
		printf(w, "  %s  %3d  (%s)\n", m.Month, m.Total, strings.Join(parts, ", "))
	}
	if s.TimeToResolve.Count > 0 {
		printf(w, "Time to resolve: median %s, p90 %s (%d resolved)\n", s.TimeToResolve.Median, s.TimeToResolve.P90, s.TimeToResolve.Count)
	} else {
		printf(w, "Time to resolve: no resolved incident has its milestones yet\n")
	}
	if s.UpdateCadence.Due > 0 {
		printf(w, "Public updates on time: %d of %d (%.0f%%)\n", s.UpdateCadence.OnTime, s.UpdateCadence.Due, 100*s.UpdateCadence.Compliance)
	} else {
		printf(w, "Public updates on time: none due yet\n")
	}
	printf(w, "Action items: %d open (%d overdue), %d done\n", s.Actions.Open, s.Actions.Overdue, s.Actions.Done)
	// A summary, not the list: at thousands of incidents one line per
	// action would bury the trends. The oldest overdue ones come first
	// in Items (overdue, then by due date).
	if s.Actions.Overdue > 0 {
		shown := min(s.Actions.Overdue, maxOverdueShown)
		if shown < s.Actions.Overdue {
			printf(w, "Oldest overdue (%d of %d; warroom actions --overdue lists all):\n", shown, s.Actions.Overdue)
		} else {
			printf(w, "Overdue:\n")
		}
		for _, it := range s.Actions.Items[:shown] {
			due := "no due date"
			if it.Due != nil {
				due = "due " + it.Due.In(loc).Format("2006-01-02")
			}
			owner := it.Owner
			if owner == "" {
				owner = "no owner"
			}
			printf(w, "  %-7s %s (%s, %s)\n", it.Incident, it.Title, owner, due)
		}
	}
	if len(s.Tags) > 0 {
		var tags []string
		for _, t := range s.Tags {
			tags = append(tags, fmt.Sprintf("%s (%d)", t.Tag, t.Count))
		}
		printf(w, "Frequent tags: %s\n", strings.Join(tags, ", "))
	}
}
