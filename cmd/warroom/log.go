package main

import (
	"time"

	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/incident"
)

func newLogCmd(a *app) *cobra.Command {
	var id, at, key, file string
	cmd := &cobra.Command{
		Use:   "log [-i ID] [--at TIME] TEXT... | log [-i ID] --file FILE",
		Short: "Append a timeline entry, or run a capture-line command",
		Long: `Append a timeline entry from any shell or script, with the cockpit's capture syntax:
  !  action     >  decision     ?  question     *  starred
  @HH:MM or @-10m at the start backdates the entry.
Slash commands change the incident and are logged too: /status NAME, /sev N, /lead NAME,
/comms NAME, /role ROLE NAME, /eta HH:MM, /tag NAME, /started … /resolved [TIME], /every 20m,
/snooze 10m, /draft TEXT, /publish.
Each line printed names the entry it logged as #N, the id warroom edit and warroom delete take.

--at TIME applies to every line, slash commands included: the change takes effect at TIME
(/status identified is the status from TIME on; /detected with no time of its own is at
TIME); a /publish in the past is recorded as a backfilled update, never delivered.

--file FILE (- for stdin) backfills many lines in one transaction, one "TIME TEXT" per line:
TIME is RFC 3339, YYYY-MM-DDTHH:MM[:SS], YYYY-MM-DD HH:MM[:SS], or HH:MM[:SS] on the date
of the line before, rolling to the next day when the clock goes backwards. Blank lines and
# comments are skipped. A bad line is reported with its number and nothing is written.

Every time without a zone (--at HH:MM, the file's times, @HH:MM) is read in the configured
timezone (config timezone, default the local zone), as the cockpit reads it, and the times
printed are in that zone, named.

--id KEY makes the write safe to retry from a script: a second log with the same KEY in
the same incident writes nothing, prints the entry the first one logged, and exits 0.`,
		Example: `  warroom log "restarted the payments workers"
  warroom log -i INC-7 '!rolled back deploy 4711'
  warroom log --at 12:31 'first alert fired'
  warroom log '/status identified'
  warroom log --id "$CI_JOB_ID-rollback" '!rolled back deploy 4711'
  warroom log --at 12:38 '/status identified'
  warroom log -i INC-7 --file chat-log.txt`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("file") {
				if len(args) > 0 || at != "" || cmd.Flags().Changed("id") {
					return errors.New("--file takes its times and text from the file; give no TEXT, --at or --id with it")
				}
				return a.logFile(id, file)
			}
			line := strings.TrimSpace(strings.Join(args, " "))
			if line == "" {
				return errors.New("nothing to log; give the text, e.g. warroom log \"restarted the workers\"")
			}
			now := a.now()
			// With --at the line is read as if typed then, so a time inside
			// it ("/eta +45m", "@-5m") counts from TIME, and a slash command
			// takes effect at TIME.
			base := now
			if at != "" {
				t, err := incident.ParsePast(at, now)
				if err != nil {
					return fmt.Errorf("--at: %w", err)
				}
				base = t
			}
			c, err := incident.ParseCapture(line, base)
			if err != nil {
				return err
			}
			if at != "" && c.At.IsZero() {
				c.At = base
			}
			if cmd.Flags().Changed("id") {
				if err := incident.CheckKey(key); err != nil {
					return fmt.Errorf("--id: %w", err)
				}
				c.Key = key
			}
			st, err := a.openForOneWrite()
			if err != nil {
				return err
			}
			// The write itself reports a missing incident and, with no
			// id (0), finds the only open one from the heads' statuses,
			// so this hot path opens the file once.
			var incID int64
			if id != "" {
				if incID, err = incident.ParseID(id); err != nil {
					return err
				}
			}
			res, err := st.Apply(incID, c, now, a.cfg.Author, a.cfg.Policy())
			incID = res.ID
			if errors.Is(err, incident.ErrScreenCommand) {
				return fmt.Errorf("/%s opens a screen in the cockpit; run warroom open %s to use it", c.Command, incident.FormatID(incID))
			}
			if err != nil {
				return err
			}
			// Every line names the entry as #N, the id edit and delete take.
			inc := incident.FormatID(incID)
			if res.Repeated {
				for _, e := range res.Entries {
					deleted := ""
					if e.Deleted {
						deleted = " (since deleted)"
					}
					printf(a.stdout, "%s: already logged #%d%s %s at %s with --id %s: %s\n", inc, e.ID, deleted, e.Kind, a.stamp(e.At), c.Key, e.Text)
				}
				return nil
			}
			if c.Command == incident.CmdDraft {
				printf(a.stdout, "%s: draft saved\n", inc)
			}
			for _, mv := range res.Moves {
				printf(a.stdout, "%s: moved #%d (%s) to %s\n", inc, mv.ID, c.Milestone, a.stampDay(mv.At))
			}
			for _, e := range res.Entries {
				printEntry(a, inc, res.Update, e, now)
			}
			if res.Update == nil {
				return nil
			}
			// The update is recorded: the status page is written while it
			// is delivered, and neither holds up or fails the other.
			pageDone := a.statusPageAfterPublish(st)
			defer pageDone()
			if !res.Update.Backfilled {
				return a.deliver(context.Background(), st, incID, *res.Update)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "backfill many \"TIME TEXT\" lines from FILE (- for stdin) in one transaction")
	cmd.Flags().StringVarP(&id, "incident", "i", "", "incident id (INC-7, inc-7 or 7); optional with one open incident")
	cmd.Flags().StringVar(&at, "at", "", "when it happened: HH:MM, -10m or RFC 3339")
	cmd.Flags().StringVar(&key, "id", "", "idempotency key: a retry with the same KEY logs nothing and prints the first entry")
	cmd.Flags().SetInterspersed(false)
	return cmd
}

// printEntry prints one logged entry with its #N.
// Its time is in the configured zone, named, and says its day when that
// is not today ("at 23:00 PST yesterday, Dec 5"): an HH:MM that has not
// come yet today is yesterday's.
func printEntry(a *app, inc string, u *incident.Update, e incident.Entry, now time.Time) {
	when := a.stampDay(e.At)
	switch {
	case u != nil && e.Kind == incident.KindPublic && u.Backfilled:
		printf(a.stdout, "%s: published #%d at %s (backfilled, not delivered): %s\n", inc, e.ID, when, u.Text)
	case u != nil && e.Kind == incident.KindPublic:
		printf(a.stdout, "%s: published #%d at %s: %s\n", inc, e.ID, when, u.Text)
	default:
		printf(a.stdout, "%s: logged #%d %s at %s: %s\n", inc, e.ID, e.Kind, when, e.Text)
	}
}

// logFile backfills the timed lines of a file (or stdin) in one
// transaction.
func (a *app) logFile(id, path string) error {
	var r io.Reader = os.Stdin
	name := "standard input"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("cannot read %s (%v); give a file of \"TIME TEXT\" lines, or - for standard input", path, unwrapPathErr(err))
		}
		defer f.Close()
		r, name = f, path
	}
	now := a.now()
	lines, err := incident.ParseBackfill(r, now)
	if err != nil {
		return fmt.Errorf("%s, %v", name, err)
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	incID, err := st.ResolveID(id)
	if err != nil {
		return err
	}
	applied, err := st.ApplyBackfill(incID, lines, now, a.cfg.Author, a.cfg.Policy())
	if err != nil {
		return fmt.Errorf("%s, %v", name, err)
	}
	key := incident.FormatID(incID)
	n := 0
	published := false
	for _, res := range applied {
		published = published || res.Update != nil
		for _, mv := range res.Moves {
			printf(a.stdout, "%s: moved #%d to %s\n", key, mv.ID, a.stamp(mv.At))
		}
		for _, e := range res.Entries {
			printEntry(a, key, res.Update, e, now)
			n++
		}
	}
	printf(a.stdout, "%s: %d %s logged from %s in one transaction\n", key, n, map[bool]string{true: "entry", false: "entries"}[n == 1], name)
	if published {
		a.statusPageAfterPublish(st)()
	}
	return nil
}
