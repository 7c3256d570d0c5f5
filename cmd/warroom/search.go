package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/export"
)

func newSearchCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search every incident's title, timeline, updates and retro",
		Long: `Search finds QUERY, ignoring case, in the titles, tags, timeline entries, public updates
and retrospectives of every incident. Several words are searched as one phrase. Each hit
names the incident, where it matched and a snippet; --json prints them for scripts.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(strings.Join(args, " ")) == "" {
				return fmt.Errorf("%s needs something to search for, e.g. warroom search \"connection pool\"", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			query := strings.Join(args, " ")
			st, err := a.openExisting()
			if err != nil {
				return err
			}
			// Only the incidents and entries that can match are copied
			// and decoded.
			incs, total, err := st.IncidentsMatching(query, export.EntryMayMatch(query))
			if err != nil {
				return err
			}
			hits := export.Search(incs, query)
			if asJSON {
				if hits == nil {
					hits = []export.Hit{}
				}
				return a.printJSON(hits)
			}
			if len(hits) == 0 {
				printf(a.stdout, "No matches for %q in %s.\n", query, countOf(total, "incident", "incidents"))
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			for _, h := range hits {
				where := h.Where
				if h.At != nil {
					where += " " + a.clock(*h.At)
				}
				printf(tw, "%s\t%s\t%s\n", h.Incident, where, h.Snippet)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			printf(a.stdout, "%s in %s searched; times in %s.\n", countOf(len(hits), "match", "matches"), countOf(total, "incident", "incidents"), a.zoneName())
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON for scripts")
	return cmd
}
