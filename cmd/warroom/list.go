package main

import (
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// incidentSummary is the stable `list --json` shape.
type incidentSummary struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Severity string    `json:"severity"`
	Status   string    `json:"status"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	Entries  int       `json:"entries"`
	Tags     []string  `json:"tags"`
}

func newListCmd(a *app) *cobra.Command {
	var all, asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List incidents (open ones unless --all)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.openExisting()
			if err != nil {
				return err
			}
			list, err := st.ListSummaries()
			if err != nil {
				return err
			}
			out := []incidentSummary{}
			for _, s := range list {
				if !all && !s.Open() {
					continue
				}
				tags := s.Tags
				if tags == nil {
					tags = []string{}
				}
				out = append(out, incidentSummary{
					ID: s.Key(), Title: s.Title, Severity: s.Severity.String(), Status: string(s.Status),
					Created: s.Created, Updated: s.Updated, Entries: s.EntryCount, Tags: tags,
				})
			}
			if asJSON {
				return a.printJSON(out)
			}
			if len(out) == 0 {
				if all {
					printf(a.stdout, "No incidents yet. Declare one with: warroom new TITLE (or try warroom demo)\n")
				} else {
					printf(a.stdout, "No open incidents. warroom list --all shows past ones.\n")
				}
				return printPendingAlerts(a.stdout, st)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			printf(tw, "ID\tSEV\tSTATUS\tDECLARED (%s)\tTITLE\n", a.zoneName())
			for _, s := range out {
				printf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Severity, s.Status, a.clock(s.Created), s.Title)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			return printPendingAlerts(a.stdout, st)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "include resolved incidents")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON for scripts")
	return cmd
}
