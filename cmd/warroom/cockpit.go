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
func (a *app) runCockpit(arg string) error { return a.runTUI(arg, false) }

// runTUI opens the cockpit, or with review the review meeting, on the
// incident named by arg (see runCockpit for an empty arg).
func (a *app) runTUI(arg string, review bool) error {
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
	return tui.Run(tui.Options{Store: st, Config: a.cfg, Now: a.now, Author: a.cfg.Author, IncidentID: id, Review: review})
}

func newReviewCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "review [ID]",
		Short: "Walk the team through an incident's retro and take their questions",
		Long: "Open the review meeting on an incident: the retro, read-only, one section at a time as the\n" +
			"other teams will read it, with a line where anyone types a question or a suggestion about the\n" +
			"section on screen. Each is kept as a review comment with its author and exported under Review.\n" +
			"Whoever opens the review first presents (tab moves to the next section); everyone else who opens\n" +
			"it, in another terminal or over warroom serve, follows the presenter's section.\n\n" +
			"With no id: the only open incident, else the most recently resolved one.",
		Args: maxOneArg("incident id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg, err := a.incidentArg(args, latestResolved)
			if err != nil {
				return err
			}
			return a.runTUI(arg, true)
		},
	}
}

// latestResolved is the most recently declared resolved incident.
func latestResolved(st *store.Store) (int64, error) {
	list, err := st.ListIncidents()
	if err != nil {
		return 0, err
	}
	for _, sum := range list {
		if !sum.Open() {
			return sum.ID, nil
		}
	}
	return 0, errors.New("there is no incident to review yet; declare one with warroom new TITLE")
}

func newOpenCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "open [ID]",
		Short: "Open the cockpit on an incident",
		Long:  "Open the cockpit on an incident; with no id, on the only open incident.",
		Args:  maxOneArg("incident id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg, err := a.incidentArg(args, nil)
			if err != nil {
				return err
			}
			return a.runCockpit(arg)
		},
	}
}

// incidentArg is the incident a screen command opens: the one named, else
// the only open one, else (when there is none open) what orElse picks.
func (a *app) incidentArg(args []string, orElse func(*store.Store) (int64, error)) (string, error) {
	if arg := optionalArg(args); arg != "" {
		return arg, nil
	}
	st, err := a.openStore()
	if err != nil {
		return "", err
	}
	id, err := st.ResolveID("")
	if errors.Is(err, store.ErrNotFound) && orElse != nil {
		id, err = orElse(st)
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprint(id), nil
}
