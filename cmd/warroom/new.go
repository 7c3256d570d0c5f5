package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/incident"
)

func newNewCmd(a *app) *cobra.Command {
	var (
		sev, lead, comms, every, warRoom, public, at string
		open                                         bool
	)
	cmd := &cobra.Command{
		Use:   "new TITLE",
		Short: "Declare an incident and print its id",
		Long: `Declare an incident. The id (INC-n) is printed as the last line, so scripts can
capture it with $(warroom new "..." | tail -1).

--at TIME declares it at TIME when backfilling a past incident (HH:MM, -10m or RFC 3339):
its "declared" entry and created time are then, and warroom log --at / --file record the
rest.`,
		Example: `  warroom new "Checkout failing for some customers" --sev 2 --lead amara --comms li
  warroom new "Search is slow" --every 20m --open
  warroom new "Night outage" --at 2026-03-12T23:05:00Z --sev 2`,
		RunE: func(cmd *cobra.Command, args []string) error {
			title := strings.TrimSpace(strings.Join(args, " "))
			if title == "" {
				return errors.New("the title is empty; describe the incident in a few words, e.g. warroom new \"Checkout failing\"")
			}
			severity := incident.Severity(3)
			if cmd.Flags().Changed("sev") {
				s, err := incident.ParseSeverity(sev)
				if err != nil {
					return err
				}
				severity = s
			}
			policy := a.cfg.Policy()
			if every != "" {
				d, err := incident.ParseDuration(every)
				if err != nil {
					return fmt.Errorf("--every: %w", err)
				}
				policy.UpdateEvery = d
			}
			now := a.now()
			declared := now
			if at != "" {
				t, err := incident.ParsePast(at, now)
				if err != nil {
					return fmt.Errorf("--at: %w", err)
				}
				declared = t
			}
			inc, err := incident.NewIncident(title, severity, declared, policy)
			if err != nil {
				return err
			}
			// The template's sections exist from the moment it is declared
			// (empty), in show --json too.
			incident.EnsureSections(&inc.Retro, a.cfg.Sections())
			for role, person := range map[string]string{incident.RoleLead: lead, incident.RoleComms: comms} {
				if p := strings.TrimSpace(person); p != "" {
					inc.Roles[role] = p
				}
			}
			inc.WarRoom = strings.TrimSpace(warRoom)
			inc.PublicChannel = strings.TrimSpace(public)
			// Checked before the database is opened, so a refused
			// declaration creates no file.
			if err := incident.CheckDeclaration(inc); err != nil {
				return err
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			created, err := st.CreateIncident(inc, a.cfg.Author)
			if err != nil {
				return err
			}
			printf(a.stdout, "Declared %s %s: %s\n", created.Key(), created.Severity, created.Title)
			printLine(a.stdout, created.Key())
			if open {
				return a.runCockpit(created.Key())
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&sev, "sev", "3", "severity 1 (worst) to 4")
	f.StringVar(&lead, "lead", "", "resolution lead")
	f.StringVar(&comms, "comms", "", "communication lead")
	f.StringVar(&every, "every", "", "public update cadence (default from config, 30m)")
	f.StringVar(&warRoom, "war-room", "", "war-room channel for technical talk")
	f.StringVar(&public, "public", "", "public channel for stakeholder updates")
	f.StringVar(&at, "at", "", "declare it at TIME (HH:MM, -10m or RFC 3339) when backfilling a past incident")
	f.BoolVar(&open, "open", false, "open the cockpit on the new incident")
	return cmd
}
