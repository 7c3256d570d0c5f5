package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/incident"
)

func newDemoCmd(a *app) *cobra.Command {
	var noOpen bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Create the handbook's example incident and open it",
		Long: `Create a sample incident (the team handbook's example: issue identified 12:40, still
investigating 13:10, root cause 13:40, ETA 14:20, with a realistic timeline and a started
retrospective) and open the cockpit on it, so a newcomer sees a full cockpit at once.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.openStore()
			if err != nil {
				return err
			}
			demo := incident.Demo(a.now())
			// One demo a day: running demo again opens the same incident
			// (the import merges by uid) instead of piling up copies.
			demo.UID = "demo-" + demo.Created.Format("2006-01-02")
			res, err := st.ImportIncident(demo)
			if err != nil {
				return err
			}
			key := incident.FormatID(res.ID)
			verb := "Created"
			if !res.Created {
				verb = "Reopened"
			}
			printf(a.stdout, "%s the demo incident %s\n%s\n", verb, key, key)
			// From a script (no terminal) the demo is created and not opened.
			if noOpen || !isTerminal(os.Stdin) || !isTerminal(os.Stdout) {
				return nil
			}
			return a.runCockpit(key)
		},
	}
	cmd.Flags().BoolVar(&noOpen, "no-open", false, "create the incident without opening the cockpit")
	return cmd
}
