package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
)

func newEditCmd(a *app) *cobra.Command {
	var id, at, text string
	var star, unstar, restore bool
	cmd := &cobra.Command{
		Use:   "edit [-i ID] ENTRY [--at TIME] [--text TEXT] [--star|--unstar] [--restore]",
		Short: "Change one timeline entry: its time, its text, its star, or bring it back",
		Long: `Change one timeline entry by its id (#N or N, as warroom log prints it and
warroom show --json lists it). The change is recorded with its author and time, and the
incident follows the timeline: re-timing a milestone entry moves the milestone, re-timing
a status entry changes which status is current.

--restore brings back a deleted entry; ENTRY can be the deleted entry or the entry that
records its deletion. In a shell, quote #N ('#12'): a bare # starts a comment.`,
		Example: `  warroom edit 12 --text "rolled back deploy 4711 and 4712"
  warroom edit -i INC-7 '#12' --at 14:05
  warroom edit 12 --star
  warroom edit 40 --restore`,
		Args: exactlyOneArg("entry id (#N or N)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			entryID, err := parseEntryID(args[0])
			if err != nil {
				return err
			}
			changes := 0
			for _, set := range []bool{at != "", cmd.Flags().Changed("text"), star, unstar} {
				if set {
					changes++
				}
			}
			switch {
			case star && unstar:
				return errors.New("--star and --unstar contradict each other; give one of them")
			case restore && changes > 0:
				return errors.New("--restore brings the entry back as it was and takes no other change; run warroom edit again to change it")
			case !restore && changes == 0:
				return errors.New("nothing to change; give --at TIME, --text TEXT, --star, --unstar or --restore")
			}
			now := a.now()
			var newAt time.Time
			if at != "" {
				if newAt, err = incident.ParsePast(at, now); err != nil {
					return fmt.Errorf("--at: %w", err)
				}
			}
			if cmd.Flags().Changed("text") {
				if text = strings.TrimSpace(text); text == "" {
					return fmt.Errorf("--text is empty; give the new text, or remove the entry with warroom delete %d", entryID)
				}
			}
			st, incID, err := a.openIncident(id)
			if err != nil {
				return err
			}
			key := incident.FormatID(incID)
			if restore {
				e, err := st.RestoreEntry(incID, entryID, now, a.cfg.Author)
				if err != nil {
					return err
				}
				printf(a.stdout, "%s: restored #%d, %s at %s: %s\n", key, e.ID, e.Kind, clock(e.At, now), e.Text)
				return nil
			}
			var before incident.Entry
			e, err := st.EditEntry(incID, entryID, now, a.cfg.Author, func(e *incident.Entry) error {
				before = *e
				if at != "" {
					e.At = newAt
				}
				if text != "" {
					e.Text = text
				}
				if star || unstar {
					e.Starred = star
				}
				return nil
			})
			if err != nil {
				return err
			}
			var what []string
			if !e.At.Equal(before.At) {
				what = append(what, "at "+clock(e.At, now))
			}
			if e.Text != before.Text {
				what = append(what, "text")
			}
			if e.Starred != before.Starred {
				what = append(what, map[bool]string{true: "starred", false: "unstarred"}[e.Starred])
			}
			if len(what) == 0 {
				printf(a.stdout, "%s: #%d unchanged; it already reads so\n", key, e.ID)
				return nil
			}
			printf(a.stdout, "%s: edited #%d (%s)\n", key, e.ID, strings.Join(what, ", "))
			return nil
		},
	}
	cmd.Flags().StringVarP(&id, "incident", "i", "", "incident id (INC-7, inc-7 or 7); optional with one open incident")
	cmd.Flags().StringVar(&at, "at", "", "when it happened: HH:MM, -10m or RFC 3339")
	cmd.Flags().StringVar(&text, "text", "", "the entry's new text")
	cmd.Flags().BoolVar(&star, "star", false, "star the entry (it stands out and leads the retro timeline)")
	cmd.Flags().BoolVar(&unstar, "unstar", false, "remove the star")
	cmd.Flags().BoolVar(&restore, "restore", false, "bring back a deleted entry (ENTRY is it or its deletion)")
	return cmd
}

func newDeleteCmd(a *app) *cobra.Command {
	var id string
	var redact bool
	cmd := &cobra.Command{
		Use:   "delete [-i ID] [--redact] ENTRY",
		Short: "Delete one timeline entry; the deletion is recorded and can be undone",
		Long: `Delete one timeline entry by its id (#N or N). Nothing disappears silently: the
entry is kept as deleted, a system entry records the deletion with its author, and an
entry that set something (a status, a milestone…) no longer does, so the incident goes
back to what the rest of the timeline says. warroom edit N --restore brings it back.
The declaration entry cannot be deleted. In a shell, quote #N ('#12').

--redact removes the entry's text for good (a secret pasted by mistake): from this
database, and from the repository's files at the next warroom sync, and from every
teammate's copy when they merge it. What is kept is that you redacted it and when, never
what it said. Git's history still holds the old files: purge them with git filter-repo
(or BFG) and a force-push, and have everyone clone again.`,
		Example: `  warroom delete 12
  warroom delete -i INC-7 '#12'
  warroom delete --redact 12`,
		Args: exactlyOneArg("entry id (#N or N)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			entryID, err := parseEntryID(args[0])
			if err != nil {
				return err
			}
			st, incID, err := a.openIncident(id)
			if err != nil {
				return err
			}
			if redact {
				e, err := st.RedactEntry(incID, entryID, a.now(), a.cfg.Author)
				if err != nil {
					return err
				}
				printf(a.stdout, "%s: the text of #%d is removed from this database for good; the next warroom sync removes it from the repository's files and from teammates' copies as they merge.\n", incident.FormatID(incID), e.ID)
				printf(a.stdout, "Git's history still holds the old files: purge them with git filter-repo --replace-text (or BFG) and a force-push, and have everyone clone again.\n")
				return nil
			}
			del, err := st.DeleteEntry(incID, entryID, a.now(), a.cfg.Author)
			if err != nil {
				return err
			}
			key := incident.FormatID(incID)
			printf(a.stdout, "%s: deleted #%d; the deletion is #%d (warroom edit -i %s %d --restore brings it back)\n", key, entryID, del.ID, key, del.ID)
			return nil
		},
	}
	cmd.Flags().StringVarP(&id, "incident", "i", "", "incident id (INC-7, inc-7 or 7); optional with one open incident")
	cmd.Flags().BoolVar(&redact, "redact", false, "remove the entry's text for good (it is also deleted); only that it was redacted, by whom and when, is kept")
	return cmd
}

// parseEntryID reads an entry id as people copy it from warroom log: "#12"
// or "12".
func parseEntryID(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not an entry id; give its number as warroom log prints it, e.g. #12 or 12", incident.CleanLine(s))
	}
	return n, nil
}

// clock shows a time as the other commands do: in the configured zone
// (now's, see app.loadConfig), named, with the date when it is not today,
// so a re-timed entry's day is never in doubt.
func clock(t, now time.Time) string {
	return config.Stamp(t, now, now.Location())
}
