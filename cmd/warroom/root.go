package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. Bare `warroom` opens the cockpit.
func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "warroom",
		Short: "A terminal incident cockpit for the resolution lead",
		Long: `warroom keeps an incident in front of the resolution lead: a running timeline captured
from the keyboard, a countdown to the next public update with a drafted plain-language
message, and the retrospective afterwards. Everything is saved at once in a local bbolt
file and exported as Markdown.

Run warroom with no command to open the cockpit on the most recent open incident.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.loadConfig(); err != nil {
				return err
			}
			// What the config file gets wrong but does not stop warroom
			// (a webhook that cannot be used) is said on every start.
			for _, w := range a.cfg.Warnings {
				printf(a.stderr, "warroom: warning: %s\n", w)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runCockpit("")
		},
	}
	root.PersistentFlags().StringVar(&a.dbPath, "db", "", "database file (default $WARROOM_DB or $XDG_DATA_HOME/warroom/warroom.db)")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return fmt.Errorf("%v; see %s --help", err, cmd.CommandPath())
	})
	root.AddCommand(
		newNewCmd(a),
		newOpenCmd(a),
		newReviewCmd(a),
		newListCmd(a),
		newShowCmd(a),
		newLogCmd(a),
		newEditCmd(a),
		newDeleteCmd(a),
		newDemoCmd(a),
		newBackupCmd(a),
		newCheckCmd(a),
		newCompactCmd(a),
		failOnWarnings(a, newConfigCmd(a)),
		newWebhookCmd(a),
		newServeCmd(a),
		newExportCmd(a), newImportCmd(a), newSearchCmd(a), newStatsCmd(a), newActionsCmd(a),
		newSyncCmd(a), newMergeFileCmd(a), newRetroCmd(a),
		newAlertCmd(a), newReceiveCmd(a),
	)
	root.AddCommand(newStatusPageCmd(a))
	root.AddCommand(newManCmd(a, root))
	return root
}

// failOnWarnings makes cmd (warroom config) exit 1 when the config file
// has warnings, after doing its work: the one place a problem in the file
// is an error rather than a notice.
func failOnWarnings(a *app, cmd *cobra.Command) *cobra.Command {
	run := cmd.RunE
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if err := run(c, args); err != nil {
			return err
		}
		if n := len(a.cfg.Warnings); n > 0 {
			return fmt.Errorf("the config file %s has %s (above)", a.cfg.File, countOf(n, "warning", "warnings"))
		}
		return nil
	}
	return cmd
}

// noArgs rejects stray arguments with a sentence that names the command.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%s takes no arguments but got %q; see %s --help", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}

// maxOneArg allows an optional single argument, such as an incident id.
func maxOneArg(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 1 {
			return fmt.Errorf("%s takes at most one %s but got %d arguments; see %s --help", cmd.CommandPath(), what, len(args), cmd.CommandPath())
		}
		return nil
	}
}

// exactlyOneArg requires one argument.
func exactlyOneArg(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return fmt.Errorf("%s needs exactly one %s; see %s --help", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}

func optionalArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}
