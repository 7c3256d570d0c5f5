package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/notify"
)

func newWebhookCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "webhook",
		Short: "Check the webhooks public updates are posted to",
		Long: `The webhooks are the plain webhooks list (Slack's format) and the [[webhook]] tables of the
config file, each in its own format: slack, mattermost, discord, googlechat, teams or json.
Run warroom config to see them and the format each one gets.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "test",
		Short: "Post a test message to every configured webhook and print each result",
		Long: `webhook test posts one clearly labelled test message ("[TEST] … No incident is happening")
to every configured webhook, in that webhook's format, and prints one line per webhook: ok,
or why it failed. It exits 1 if any webhook failed. Nothing is stored.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.webhookTest(cmd.Context()) },
	})
	return cmd
}

func (a *app) webhookTest(ctx context.Context) error {
	targets := a.cfg.Targets()
	if len(targets) == 0 {
		printf(a.stdout, "No webhook is configured, so there is nothing to test; add webhooks = [\"https://…\"] or a [[webhook]] table to %s.\n", a.cfg.File)
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	// One try each: a test that retried could post its message twice.
	ds := notify.New(targets, notify.Options{Now: a.now, Tries: 1}).Check(ctx)
	failed := 0
	for i, d := range ds {
		if d.State == incident.DeliverySent {
			printf(a.stdout, "ok      %s (%s)\n", d.Target, targets[i].Format)
			continue
		}
		failed++
		if d.State == incident.DeliveryUnknown {
			printf(a.stdout, "unknown %s (%s): %s; the test message may have arrived, so look in the channel\n", d.Target, targets[i].Format, d.Error)
			continue
		}
		printf(a.stdout, "failed  %s (%s): %s\n", d.Target, targets[i].Format, d.Error)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %s failed the test (listed above)", failed, countOf(len(ds), "webhook", "webhooks"))
	}
	return nil
}
