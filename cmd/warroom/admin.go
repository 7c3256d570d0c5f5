package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/store"
)

func newBackupCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the database while others keep working",
		Args:  exactlyOneArg("backup file name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openExisting()
			if err != nil {
				return err
			}
			if err := st.Backup(args[0]); err != nil {
				return err
			}
			printf(a.stdout, "Backed up %s to %s\n", st.Path(), args[0])
			return nil
		},
	}
}

func newCheckCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Check the database's integrity and report what is wrong",
		Long: `Check reads every page of the database and every record in it, without changing
anything, and reports damage. It exits 1 when it finds a problem.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := store.CheckFile(a.databasePath())
			if err != nil {
				return err
			}
			printf(a.stdout, "Database:  %s\nSchema:    %d\nIncidents: %d\nEntries:   %d\nOperations: %d\n", rep.Path, rep.Schema, rep.Incidents, rep.Entries, rep.Ops)
			if sp := rep.Space; sp.InUse > 0 {
				printf(a.stdout, "Size:      %s, %s in use (%.2f×)\n", megabytes(sp.File), megabytes(sp.InUse), sp.Ratio())
				if sp.Ratio() > compactWorth && sp.File-sp.InUse > compactMinGain {
					printf(a.stdout, "           warroom compact would make it about %s\n", megabytes(sp.InUse))
				}
			}
			if rep.OK() {
				printf(a.stdout, "OK: no problems found.\n")
				return nil
			}
			for _, p := range rep.Problems {
				printf(a.stdout, "problem: %s\n", p)
			}
			return errors.New("the database has problems (listed above); restore a backup made with warroom backup")
		},
	}
}

// Check suggests compacting a file more than compactWorth times what it
// uses, when that frees more than compactMinGain bytes.
const (
	compactWorth   = 1.3
	compactMinGain = 1 << 20
)

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

func newCompactCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "compact",
		Short: "Write the database anew without its unused space",
		Long: `Compact writes a copy of the database with every page filled, beside it, and puts
the copy in its place. Other warroom processes wait for it (it holds the database's lock
throughout) and then carry on with the new file. If anything fails, the copy is removed
and the database is left as it was. warroom check tells how much it would save.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.openExisting()
			if err != nil {
				return err
			}
			c, err := st.Compact()
			if err != nil {
				return err
			}
			printf(a.stdout, "Compacted %s: %s, was %s\n", st.Path(), megabytes(c.After), megabytes(c.Before))
			return nil
		},
	}
}

func newConfigCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Print the effective configuration and where each value came from",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c := a.cfg
			printf(a.stdout, "# config file: %s\n# database:    %s\n", c.File, a.databasePath())
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			for _, k := range config.Keys {
				printf(tw, "%s\t= %s\t# %s\n", k, c.Value(k), c.Source[k])
			}
			return tw.Flush()
		},
	}
}
