package main

import (
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

func newDemoCmd(a *app) *cobra.Command {
	var noOpen, past bool
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
			// Today's demo is made once: its content depends on the time
			// it was made, and operations are never merged by content.
			var res store.ImportResult
			if id, found, err := st.IncidentByUID(demo.UID); err != nil {
				return err
			} else if found {
				res.ID = id
			} else if res, err = st.ImportIncident(demo); err != nil {
				return err
			}
			if err := linkDemoFactors(st, res.ID, a); err != nil {
				return err
			}
			key := incident.FormatID(res.ID)
			verb := "Created"
			if !res.Created {
				verb = "Reopened"
			}
			if past {
				if err := a.demoPast(st); err != nil {
					return err
				}
			} else {
				printf(a.stdout, "(warroom demo --past also records a past incident from its chat log, as warroom log --file does)\n")
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
	cmd.Flags().BoolVar(&past, "past", false, "also record a resolved past incident from its chat log (a backfill, as warroom log --file does)")
	return cmd
}

// demoPast adds, once a day, a resolved incident recorded after the fact:
// declared at its time and its chat log backfilled, as a scribe would
// (warroom new --at, warroom log --file), so the list shows both kinds.
func (a *app) demoPast(st *store.Store) error {
	now := a.now()
	past, log := incident.DemoPast(now)
	past.UID = "demo-past-" + past.Created.Format("2006-01-02")
	if _, found, err := st.IncidentByUID(past.UID); err != nil || found {
		return err
	}
	res, err := st.ImportIncident(past)
	if err != nil || !res.Created {
		return err
	}
	lines, err := incident.ParseBackfill(strings.NewReader(log), now)
	if err != nil {
		return err
	}
	if _, err := st.ApplyBackfill(res.ID, lines, now, "dana", a.cfg.Policy()); err != nil {
		return err
	}
	printf(a.stdout, "Recorded a past incident, %s, from its chat log (see warroom log --help for --file)\n", incident.FormatID(res.ID))
	return nil
}

// linkDemoFactors gives the demo retro its contributing factors once the
// entries they link to have their uids from the store.
func linkDemoFactors(st *store.Store, id int64, a *app) error {
	inc, err := st.Incident(id)
	if err != nil || len(inc.Retro.Factors) > 0 {
		return err
	}
	factors := incident.DemoFactors(inc)
	_, err = st.UpdateRetro(id, "amara", a.now(), func(r *incident.Retro) error {
		if len(r.Factors) == 0 {
			r.Factors = factors
		}
		return nil
	})
	return err
}
