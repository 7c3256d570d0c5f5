package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/charmbracelet/log"
	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/alert"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/receiver"
	"github.com/warroom-cli/warroom/internal/store"
)

// maxAlertInput bounds what warroom alert reads: a file of many payloads,
// one per line, is fine; a runaway pipe is not.
const maxAlertInput = 64 << 20

func newAlertCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "alert [FILE|-]",
		Short: "Take alert payloads in: declare or feed incidents",
		Long: `Alert reads one alert payload, or several one per line, from FILE or stdin ("-" or
nothing) and acts on each: an Alertmanager or Grafana webhook, a PagerDuty Events API v2
event or a CDEvents incident event (dev.cdevents.incident.detected, reported, resolved).

A firing alert whose dedup key (group key, dedup_key, subject id) matches no open
incident declares one at the alert's own time: title from its summary, severity from the
[alerts] severity mapping (critical 1, error 2, warning 3, info 4), tags from the
tag_labels, its labels and links on the timeline, author alert:<receiver or source>.
Later payloads of the key append each new alert, acknowledgement and resolution once; a
resent payload adds nothing. No alert ever resolves an incident. With [alerts]
declare = false the alert waits in the incident list as a pending alert instead.

Each line of output says what happened: declared INC-n, an entry appended (#N), or
already recorded. Input that cannot be read is one sentence and exit status 1, and
nothing of it is written: all payloads go in one transaction.`,
		Example: `  warroom alert payload.json
  jq -c '.[]' saved-webhooks.json | warroom alert -
  warroom alert --format pagerduty event.json`,
		Args: maxOneArg("file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := alert.ParseFormat(format)
			if err != nil {
				return err
			}
			path := optionalArg(args)
			var r io.Reader = os.Stdin
			name := "stdin"
			if path != "" && path != "-" {
				file, err := os.Open(path)
				if err != nil {
					return fmt.Errorf("cannot read %s: %v; give a file holding alert payloads, or - for stdin", path, unwrapPathErr(err))
				}
				defer file.Close()
				r, name = file, path
			}
			data, err := io.ReadAll(io.LimitReader(r, maxAlertInput+1))
			if err != nil {
				return fmt.Errorf("cannot read %s: %v", name, err)
			}
			if len(data) > maxAlertInput {
				return fmt.Errorf("%s holds over %d MB of alerts; split it", name, maxAlertInput>>20)
			}
			now := a.now()
			evs, err := alert.Stream(bytes.NewReader(data), f, now)
			if err != nil {
				return fmt.Errorf("%s: %s; nothing was recorded", name, alert.Message(err))
			}
			rules := a.cfg.AlertRules()
			var batches []incident.AlertBatch
			var real []alert.Event
			for i, ev := range evs {
				if alert.IsTestNotification(ev) {
					printf(a.stdout, "%s\n", alert.TestNotificationNote)
					continue
				}
				if err := alert.Check(ev, now); err != nil {
					if len(evs) > 1 {
						return fmt.Errorf("%s, payload %d: %v", name, i+1, err)
					}
					return fmt.Errorf("%s: %v", name, err)
				}
				batches = append(batches, alert.Plan(ev, rules))
				real = append(real, ev)
			}
			if len(batches) == 0 {
				return nil
			}
			evs = real
			st, err := a.openStore()
			if err != nil {
				return err
			}
			res, err := st.ApplyAlerts(batches, rules.Declare, now)
			if err != nil {
				return err
			}
			for i, r := range res {
				a.printAlertResult(evs[i], batches[i], r)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "auto", "payload format: auto, alertmanager, grafana, pagerduty or cdevents")
	return cmd
}

// printAlertResult says what one payload did, a line per thing.
func (a *app) printAlertResult(ev alert.Event, b incident.AlertBatch, r store.AlertResult) {
	key := incident.FormatID(r.ID)
	if r.Declared {
		printf(a.stdout, "declared %s: %s (%s) from alert %s · %s\n", key, b.Declare.Title, b.Declare.Severity, ev.Name, ev.Source)
	}
	for _, e := range r.Added {
		if e.Set.Field == incident.FieldDeclared {
			continue // said above
		}
		if r.Pending != "" {
			printf(a.stdout, "pending %s: %s\n", ev.Name, e.Text)
			continue
		}
		printf(a.stdout, "%s #%d appended: %s\n", key, e.ID, e.Text)
	}
	if r.Known > 0 {
		where := key
		if r.Pending != "" {
			where = "pending " + ev.Name
		}
		printf(a.stdout, "%s: %s already recorded\n", where, countOf(r.Known, "entry", "entries"))
	}
	if r.Pending != "" && len(r.Added) > 0 {
		printf(a.stdout, "alert %s waits as a pending alert ([alerts] declare = false): press ctrl+n on it in the incident list to declare it\n", ev.Name)
	}
	if r.Note != "" {
		printf(a.stdout, "note: %s\n", r.Note)
	}
}

func newReceiveCmd(a *app) *cobra.Command {
	var listen string
	cmd := &cobra.Command{
		Use:   "receive",
		Short: "Receive alerts over HTTP: Alertmanager, Grafana, PagerDuty Events, CDEvents",
		Long: `Receive listens for alerts and acts on each as warroom alert does, on the same
database as open cockpits and scripts (an alert shows in an open cockpit at once).

Endpoints (POST): /alerts/alertmanager (Alertmanager webhook_config and Grafana webhook
contact points), /alerts/pagerduty (Events API v2), /alerts/cdevents. Every request needs
Authorization: Bearer TOKEN with the [alerts] token (or token_file); without it the
answer is 401 and nothing is written. Answers: 202 accepted (a JSON summary), 400 a
payload that cannot be taken (one sentence), 401, 413 a body over 1 MB.

Each request is logged to stderr. ctrl+c, SIGTERM or SIGHUP stops taking requests and
lets those in progress finish.`,
		Example: `  warroom receive --listen 127.0.0.1:9095
  curl -H "Authorization: Bearer $TOKEN" --data @alert.json http://127.0.0.1:9095/alerts/alertmanager`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Without a token nothing is served, and no database made.
			if _, err := a.cfg.Alerts.Token(); err != nil {
				return err
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			logger := log.NewWithOptions(a.stderr, log.Options{ReportTimestamp: true, Prefix: "warroom receive"})
			h, err := a.alertHandler(st, logger)
			if err != nil {
				return err
			}
			l, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("cannot listen on %s (%v); choose another address with --listen", listen, err)
			}
			printf(a.stdout, "warroom alert receiver on http://%s/alerts/ (database %s); ctrl+c stops it\n", l.Addr(), st.Path())
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			return receiver.Serve(ctx, l, h, shutdownGrace)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:9095", "address to listen on")
	return cmd
}

// alertHandler builds the receiver from the config: it needs the token.
func (a *app) alertHandler(st *store.Store, logger *log.Logger) (*receiver.Handler, error) {
	tok, err := a.cfg.Alerts.Token()
	if err != nil {
		return nil, err
	}
	return receiver.New(receiver.Options{Store: st, Token: tok, Rules: a.cfg.AlertRules(), Now: func() time.Time { return a.now() }, Log: logger})
}
