package main

import (
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// actionItem is the stable `actions --json` shape: one retro action with
// the incident it came from.
type actionItem struct {
	Incident      string     `json:"incident"`
	IncidentTitle string     `json:"incident_title"`
	Title         string     `json:"title"`
	Kind          string     `json:"kind"`
	Owner         string     `json:"owner"`
	Due           *time.Time `json:"due"`
	Done          bool       `json:"done"`
	Overdue       bool       `json:"overdue"`
	Link          string     `json:"link"`
}

func newActionsCmd(a *app) *cobra.Command {
	var all, overdue, asJSON bool
	cmd := &cobra.Command{
		Use:   "actions",
		Short: "Action items across every incident, overdue first",
		Long: `List the retrospectives' action items across every incident, so they do not die after the
review: open ones by default (--all adds the done ones), overdue first, then by due date,
with their owner and incident. --overdue lists only those past their due date.`,
		Example: `  warroom actions
  warroom actions --overdue
  warroom actions --all --json | jq '.[] | select(.owner == "dana")'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.openExisting()
			if err != nil {
				return err
			}
			// Heads and retros only: the timelines are not read.
			list, err := st.ListIncidents()
			if err != nil {
				return err
			}
			now := a.now()
			items := []actionItem{}
			for _, s := range list {
				for _, act := range s.Retro.Actions {
					late := act.Overdue(now)
					if (act.Done && !all) || (overdue && !late) {
						continue
					}
					it := actionItem{
						Incident: s.Key(), IncidentTitle: s.Title, Title: act.Title, Kind: string(act.Kind),
						Owner: act.Owner, Done: act.Done, Overdue: late, Link: act.Link,
					}
					if !act.Due.IsZero() {
						due := act.Due.In(a.location())
						it.Due = &due
					}
					items = append(items, it)
				}
			}
			slices.SortStableFunc(items, func(x, y actionItem) int {
				switch {
				case x.Overdue != y.Overdue:
					if x.Overdue {
						return -1
					}
					return 1
				case x.Done != y.Done:
					if !x.Done {
						return -1
					}
					return 1
				case (x.Due == nil) != (y.Due == nil):
					if x.Due != nil {
						return -1
					}
					return 1
				case x.Due != nil && !x.Due.Equal(*y.Due):
					return x.Due.Compare(*y.Due)
				}
				return 0
			})
			if asJSON {
				return a.printJSON(items)
			}
			if len(items) == 0 {
				switch {
				case overdue:
					printf(a.stdout, "No action item is overdue.\n")
				default:
					printf(a.stdout, "No open action items. warroom actions --all lists the done ones too.\n")
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			printf(tw, "DUE (%s)\tOWNER\tINCIDENT\tACTION\n", a.zoneName())
			for _, it := range items {
				due := "—"
				if it.Due != nil {
					due = it.Due.Format("2006-01-02 15:04")
				}
				switch {
				case it.Overdue:
					due = "! " + due + " overdue"
				case it.Done:
					due = "done"
				}
				owner := it.Owner
				if owner == "" {
					owner = "—"
				}
				printf(tw, "%s\t%s\t%s\t%s\n", due, owner, it.Incident, it.Title)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "include done actions")
	cmd.Flags().BoolVar(&overdue, "overdue", false, "only actions past their due date")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON for scripts")
	return cmd
}

// location is the configured time zone.
func (a *app) location() *time.Location {
	if a.cfg != nil && a.cfg.Location != nil {
		return a.cfg.Location
	}
	return time.Local
}
