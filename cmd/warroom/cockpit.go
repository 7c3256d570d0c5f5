package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui"
)

// runCockpit opens the full-screen cockpit on the incident named by arg, or
// on the most recent open incident, or on the incident list when none is
// open.
func (a *app) runCockpit(arg string) error {
	st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	var id int64
	if arg != "" {
		if id, err = st.ResolveID(arg); err != nil {
			return err
		}
	} else if id, err = st.LatestOpen(); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	// Checked after the id, so a wrong id is reported as such first.
	if !isTerminal(os.Stdin) || !isTerminal(os.Stdout) {
		return errors.New("the cockpit needs a terminal; from scripts use warroom log, show or list")
	}
	return tui.Run(tui.Options{Store: st, Config: a.cfg, Now: a.now, Author: a.cfg.Author, IncidentID: id})
}

func newOpenCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "open [ID]",
		Short: "Open the cockpit on an incident",
		Long:  "Open the cockpit on an incident; with no id, on the only open incident.",
		Args:  maxOneArg("incident id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := optionalArg(args)
			if arg == "" {
				st, err := a.openStore()
				if err != nil {
					return err
				}
				id, err := st.ResolveID("")
				if err != nil {
					return err
				}
				arg = fmt.Sprint(id)
			}
			return a.runCockpit(arg)
		},
	}
}
