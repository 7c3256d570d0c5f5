package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/incident"
)

func newLogCmd(a *app) *cobra.Command {
	var id, at, key string
	cmd := &cobra.Command{
		Use:   "log [-i ID] [--at TIME] TEXT...",
		Short: "Append a timeline entry, or run a capture-line command",
		Long: `Append a timeline entry from any shell or script, with the cockpit's capture syntax:
  !  action     >  decision     ?  question     *  starred
  @HH:MM or @-10m at the start backdates the entry.
Slash commands change the incident and are logged too: /status NAME, /sev N, /lead NAME,
/comms NAME, /role ROLE NAME, /eta HH:MM, /tag NAME, /started … /resolved [TIME], /every 20m,
/snooze 10m, /draft TEXT, /publish.
Each line printed names the entry it logged as #N, the id warroom edit and warroom delete take.

--id KEY makes the write safe to retry from a script: a second log with the same KEY in
the same incident writes nothing, prints the entry the first one logged, and exits 0.`,
		Example: `  warroom log "restarted the payments workers"
  warroom log -i INC-7 '!rolled back deploy 4711'
  warroom log --at 12:31 'first alert fired'
  warroom log '/status identified'
  warroom log --id "$CI_JOB_ID-rollback" '!rolled back deploy 4711'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			line := strings.TrimSpace(strings.Join(args, " "))
			if line == "" {
				return errors.New("nothing to log; give the text, e.g. warroom log \"restarted the workers\"")
			}
			now := a.now()
			c, err := incident.ParseCapture(line, now)
			if err != nil {
				return err
			}
			if at != "" {
				t, err := incident.ParsePast(at, now)
				if err != nil {
					return fmt.Errorf("--at: %w", err)
				}
				if !c.IsEntry() {
					return errors.New("--at applies to entries; for milestones give the time after the command, e.g. /detected 12:31")
				}
				c.At = t
			}
			if cmd.Flags().Changed("id") {
				if err := incident.CheckKey(key); err != nil {
					return fmt.Errorf("--id: %w", err)
				}
				c.Key = key
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			// With an explicit id the write itself reports a missing
			// incident, which saves a read of the file on this hot path.
			var incID int64
			if id != "" {
				incID, err = incident.ParseID(id)
			} else {
				incID, err = a.resolve(st, "")
			}
			if err != nil {
				return err
			}
			res, err := st.Apply(incID, c, now, a.cfg.Author, a.cfg.Policy())
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
					printf(a.stdout, "%s: already logged #%d%s %s at %s with --id %s: %s\n", inc, e.ID, deleted, e.Kind, e.At.Format("15:04"), c.Key, e.Text)
				}
				return nil
			}
			if c.Command == incident.CmdDraft {
				printf(a.stdout, "%s: draft saved\n", inc)
			}
			for _, mv := range res.Moves {
				printf(a.stdout, "%s: moved #%d (%s) to %s\n", inc, mv.ID, c.Milestone, mv.At.Format("15:04"))
			}
			for _, e := range res.Entries {
				if res.Update != nil && e.Kind == incident.KindPublic {
					printf(a.stdout, "%s: published #%d at %s: %s\n", inc, e.ID, res.Update.At.Format("15:04"), res.Update.Text)
					continue
				}
				printf(a.stdout, "%s: logged #%d %s at %s: %s\n", inc, e.ID, e.Kind, e.At.Format("15:04"), e.Text)
			}
			if res.Update != nil {
				return a.deliver(context.Background(), st, incID, *res.Update)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&id, "incident", "i", "", "incident id (INC-7, inc-7 or 7); optional with one open incident")
	cmd.Flags().StringVar(&at, "at", "", "when it happened: HH:MM, -10m or RFC 3339")
	cmd.Flags().StringVar(&key, "id", "", "idempotency key: a retry with the same KEY logs nothing and prints the first entry")
	cmd.Flags().SetInterspersed(false)
	return cmd
}
