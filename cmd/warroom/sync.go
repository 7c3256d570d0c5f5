package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	wsync "github.com/warroom-cli/warroom/internal/sync"
)

func newSyncCmd(a *app) *cobra.Command {
	var repo, remote string
	cmd := &cobra.Command{
		Use:   "sync [--repo DIR] [--remote URL]",
		Short: "Share every incident through a git repository, merging teammates' records",
		Long: `Sync keeps the incident repository in a git working copy and meets up with the
rest of the team through it: it writes every incident as slug-uid.json (the full record)
and slug-uid.md (the retrospective document), with index.md and feed.atom, and with
status_page_dir set the public status page as status/: it fetches,
merges, imports what others wrote, commits once (saying what it brought) and pushes. A sync
with nothing new commits nothing. A record that cannot be read is named in a warning and
left as it is; the other incidents still sync.

Files are named by the incident's title and uid, never by INC-n, which each database
numbers on its own. The records are merged by warroom, not by git's line merge: the
repository's .gitattributes sends them to the merge driver "warroom merge-file %O %A %B"
(registered in the working copy's .git/config), which merges two copies the way
warroom import does, so two laptops that edited one incident offline end with the same
record. Files a person wrote are never deleted, and a Markdown file edited by hand is
left as it is.

The first sync clones --remote URL (any git URL: an SSH host, a bare repository on a USB
stick) or initialises a new repository; later syncs use the remote it knows, or switch to
a new --remote. Without a remote, sync only commits locally.

--repo defaults to the folder "repo" beside the database file, so the default database
$XDG_DATA_HOME/warroom/warroom.db syncs through $XDG_DATA_HOME/warroom/repo.

A conflict git cannot solve (a file edited by hand on both sides) stops the sync with the
repository as git left it and the database unchanged. git must be installed.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if repo == "" {
				repo = filepath.Join(filepath.Dir(a.databasePath()), "repo")
			}
			exe, err := os.Executable()
			if err != nil {
				return fmt.Errorf("cannot find the warroom program for the merge driver: %v", err)
			}
			opts, err := a.exportOptions()
			if err != nil {
				return err
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			res, err := wsync.Run(wsync.Options{
				Store: st, Dir: repo, Remote: strings.TrimSpace(remote), Export: opts,
				Author: a.cfg.Author, Driver: wsync.DriverCommand(exe),
				StatusPage: a.syncStatusPage(),
			})
			if err != nil {
				return err
			}
			switch {
			case res.Cloned:
				printf(a.stdout, "Cloned %s into %s\n", remote, repo)
			case res.Initialised:
				printf(a.stdout, "Started a new incident repository in %s\n", repo)
			}
			for _, b := range res.Brought {
				printf(a.stdout, "Brought in %s\n", b)
			}
			for _, sk := range res.Skipped {
				printf(a.stderr, "warning: %s\n", sk)
			}
			if len(res.Imported) > 0 && len(res.Brought) == 0 {
				printf(a.stdout, "Brought in changes to %s\n", strings.Join(res.Imported, ", "))
			}
			if len(res.Kept) > 0 {
				printf(a.stdout, "Left alone %s edited by hand: %s\n", countOf(len(res.Kept), "file", "files"), strings.Join(res.Kept, ", "))
			}
			state := "committed locally (no remote; add one with --remote URL)"
			if res.Pushed {
				state = "pushed"
			}
			printf(a.stdout, "Synced %s in %s: %s, %s\n", countOf(res.Incidents, "incident", "incidents"), repo, countOf(res.Commits, "commit", "commits"), state)
			return nil
		},
	}
	cmd.Flags().StringVar(&repo, "repo", "", `the git working copy (default: "repo" beside the database)`)
	cmd.Flags().StringVar(&remote, "remote", "", "git URL to clone from and push to (remembered as origin)")
	return cmd
}

func newMergeFileCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "merge-file BASE OURS THEIRS",
		Short: "Git merge driver for the incident repository (set up by warroom sync)",
		Long: `merge-file is the merge driver warroom sync registers for its repository; git runs it
as "warroom merge-file %O %A %B" and it writes the merge into OURS.

Two incident records are merged the way warroom import merges a teammate's copy: entries
and public updates by uid, the incident's fields read from the merged timeline, deletions
kept, the retro section by section. Generated Markdown and feeds keep ours (sync writes them
again from the merged records); any other file gets git's line merge, and a clash is left
marked in OURS with exit status 1.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 3 {
				return fmt.Errorf("%s needs three files, BASE OURS THEIRS, as git passes them (%%O %%A %%B); warroom sync sets it up", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			err := wsync.MergeFile(args[0], args[1], args[2], a.cfg.Policy())
			if errors.Is(err, wsync.ErrConflict) && !strings.Contains(err.Error(), "uids") {
				return fmt.Errorf("%s was changed on both sides in ways that cannot be merged; the conflict is marked in the file", args[1])
			}
			return err
		},
	}
}
