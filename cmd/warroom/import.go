package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
)

func newImportCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE.json",
		Short: "Bring back an incident exported as JSON, merging without duplicates",
		Long: `Import reads a file written by warroom export --format json (or "-" for stdin).

An incident not in the database is added with a new local id. One that is already there
(a backup, or a teammate's copy of the same incident) is merged: new entries, updates,
whys and actions are added, an entry is replaced only by a copy edited later, and deleted
entries stay deleted. Importing the same file twice changes nothing.`,
		Args: exactlyOneArg("JSON file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			var data []byte
			var err error
			if path == "-" {
				data, err = io.ReadAll(os.Stdin)
			} else {
				data, err = os.ReadFile(path)
			}
			if err != nil {
				return fmt.Errorf("cannot read %s: %v; give a file written by warroom export --format json", path, unwrapPathErr(err))
			}
			inc, err := export.ParseJSON(data)
			if err != nil {
				return fmt.Errorf("cannot import %s: %v", path, err)
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			res, err := st.ImportIncident(inc)
			if err != nil {
				return err
			}
			key := incident.FormatID(res.ID)
			switch {
			case res.Created:
				printf(a.stdout, "Imported %s as new: %d entries, %d public updates\n", key, res.EntriesAdded, res.UpdatesAdded)
			case !res.Changed():
				printf(a.stdout, "%s is already up to date; nothing new to import\n", key)
			default:
				printf(a.stdout, "Merged into %s: %d entries added, %d updated, %d public updates added", key, res.EntriesAdded, res.EntriesUpdated, res.UpdatesAdded)
				if res.HeadChanged {
					printf(a.stdout, ", incident details updated")
				}
				if res.RetroChanged {
					printf(a.stdout, ", retro merged")
				}
				printLine(a.stdout)
			}
			printLine(a.stdout, key)
			return nil
		},
	}
}
