package comms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/notify"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// applied follows what the capture line (or this pane) stored.
func (c *Pane) applied(msg common.AppliedMsg) tea.Cmd {
	switch {
	case msg.Result.Update != nil:
		return c.afterPublish(*msg.Result.Update)
	}
	// Status, ETA or cadence changes reach the template with the reload.
	return nil
}

// RequestPublish publishes the draft, asking once when the jargon check
// found words a customer may not follow.
func (c *Pane) RequestPublish() tea.Cmd {
	if c.ctx.IncidentID == 0 {
		return common.ErrCmd(common.ErrNoIncident)
	}
	text := strings.TrimSpace(c.Text())
	if c.publishing > 0 && text == c.publishText && c.Seq == c.publishSeq {
		// The same update asked for twice (p pressed again): once is enough.
		return nil
	}
	if text == "" {
		return common.ErrCmd(errors.New("the public draft is empty; write the update first, e.g. /draft We are investigating"))
	}
	if len(c.findings) > 0 {
		if c.confirm.Open() {
			// Asked again (p, or /publish once more) after the question
			// could be read: that is a yes. Before, it was typed ahead.
			if c.confirm.Armed(c.ctx) {
				c.confirm.Close(c.ctx)
				return c.publishNow()
			}
			return nil
		}
		// The question stays in this pane; the keyboard stays where it
		// is, so keys typed ahead of the question stay text there.
		ask := c.confirm.Ask(c.ctx)
		c.layout()
		n := len(c.findings)
		return tea.Batch(ask, common.ErrCmd(fmt.Errorf("%d %s in the draft may confuse customers; not published yet: the public update pane asks", n, common.Plural(n, "word", "words"))))
	}
	return c.publishNow()
}

// publishNow publishes the draft as shown, without asking.
func (c *Pane) publishNow() tea.Cmd {
	text := strings.TrimSpace(c.Text())
	c.publishing++
	c.Seq++
	c.publishText, c.publishSeq = text, c.Seq
	c.layout()
	st, id, now, author, policy, saver := c.ctx.Store, c.ctx.IncidentID, c.ctx.Now(), c.ctx.Author, c.ctx.Policy(), c.saver
	// Exactly the text on screen is published, in one transaction.
	raw := c.Text()
	// Only what this person saw is published: the stored draft their
	// text is based on goes with it, and a teammate's change since makes
	// the store refuse (store.ErrDraftChanged).
	seen := saver.seen(id)
	return c.ctx.Write(func() tea.Msg {
		res, err := st.Apply(id, incident.Capture{Command: incident.CmdPublish, Text: raw, SeenDraft: &seen}, now, author, policy)
		if err != nil {
			var by string
			if errors.Is(err, store.ErrDraftChanged) {
				if inc, _, err := st.IncidentTail(id, 0); err == nil {
					by = inc.DraftBy
				}
			}
			return PublishDoneMsg{err: fmt.Errorf("the update was not published (the draft is kept): %w", err), by: by}
		}
		if res.Head != nil {
			saver.adopt(id, res.Head.DraftRev, res.Head.Draft)
		}
		return PublishDoneMsg{res: res}
	})
}

// afterPublish copies the update to the clipboard, records the copy and
// delivers it to the webhooks in the background, and starts the next
// draft.
func (c *Pane) afterPublish(u incident.Update) tea.Cmd {
	now := c.ctx.Now()
	if c.Seq == c.publishSeq {
		// Nothing written since this publish: start the next draft from
		// the template. A draft written after it (typed, or a /draft
		// right behind the /publish) stays.
		c.Seq++
		c.publishSeq = c.Seq
		c.Templated = true
		c.synced = ""
		c.confirm.Close(c.ctx)
		if c.Editing {
			c.stopEditing()
		}
		c.setValue(c.template())
	}

	var hooks []notify.Target
	if c.ctx.Config != nil && !u.Backfilled {
		// A backfilled update was published in the past: never delivered.
		hooks = c.ctx.Config.Targets()
	}
	st, id, term := c.ctx.Store, c.ctx.IncidentID, c.ctx.Terminal
	if u.Backfilled {
		term = nil
	}
	tmux := os.Getenv("TMUX") != ""
	n := c.notifier(hooks)
	m := notify.MessageFor(c.ctx.Incident, u, c.ctx.Policy())
	// clip is written by record and read by deliver, which runs after it.
	var clip []incident.Delivery
	record := c.ctx.Write(func() tea.Msg {
		if term != nil {
			clip = append(clip, notify.Copy(term, u.Text, tmux, now))
		}
		first := append(slices.Clone(clip), n.Pending()...)
		if len(first) == 0 {
			return nil
		}
		if err := st.SetDelivery(id, u.ID, first); err != nil {
			return common.ErrMsg{Err: fmt.Errorf("the update is published but its delivery state was not saved: %w", err)}
		}
		return common.ReloadMsg{}
	})
	note := "Published " + common.ClockAt(u.At, c.ctx.Now())
	if term != nil {
		note += " and copied to the clipboard"
	}
	page := c.statusPage()
	if len(hooks) == 0 {
		return tea.Batch(record, page, func() tea.Msg { return common.StatusMsg{Text: note} })
	}
	note += fmt.Sprintf("; delivering to %d %s", len(hooks), common.Plural(len(hooks), "webhook", "webhooks"))
	deliver := func() tea.Msg {
		ds := append(slices.Clone(clip), n.Deliver(context.Background(), m)...)
		return deliveredMsg{id: id, update: u, delivery: ds, err: st.SetDelivery(id, u.ID, ds)}
	}
	return tea.Batch(func() tea.Msg { return common.StatusMsg{Text: note} }, page, tea.Sequence(record, deliver))
}

// notifier delivers to hooks with the pane's clock.
func (c *Pane) notifier(hooks []notify.Target) *notify.Notifier {
	opts := c.NotifyOpts
	if opts.Now == nil {
		opts.Now = c.ctx.Now
	}
	n := notify.New(hooks, opts)
	if c.ctx.Store != nil {
		// Each try is on disk before it is sent (see notify.WithJournal).
		n = n.WithJournal(c.ctx.Store, c.ctx.IncidentID)
	}
	return n
}

// delivered reports the outcome of a delivery in the status line.
func (c *Pane) delivered(msg deliveredMsg) tea.Cmd {
	reload := func() tea.Msg { return common.ReloadMsg{} }
	if msg.err != nil {
		return tea.Batch(reload, common.ErrCmd(fmt.Errorf("the update was delivered but its state was not saved: %w", msg.err)))
	}
	var failed, unknown []incident.Delivery
	sent := 0
	for _, d := range msg.delivery {
		switch {
		case d.State == incident.DeliveryFailed && d.Target != notify.ClipboardTarget:
			failed = append(failed, d)
		case d.State == incident.DeliveryUnknown:
			unknown = append(unknown, d)
		case d.State == incident.DeliverySent:
			sent++
		}
	}
	if len(failed) == 0 && len(unknown) > 0 {
		d := unknown[0]
		return tea.Batch(reload, common.ErrCmd(fmt.Errorf("the %s update to %s is unknown — may have arrived (%s); it is not sent again by itself: if it did not arrive, press r in the comms pane",
			common.ClockAt(msg.update.At, c.ctx.Now()), d.Target, d.Error)))
	}
	if len(failed) > 0 {
		d := failed[0]
		return tea.Batch(reload, common.ErrCmd(fmt.Errorf("the %s update did not reach %s (%s after %d %s); press r in the comms pane to re-send",
			common.ClockAt(msg.update.At, c.ctx.Now()), d.Target, d.Error, d.Attempts, common.Plural(d.Attempts, "try", "tries"))))
	}
	text := fmt.Sprintf("The %s update reached %d %s", common.ClockAt(msg.update.At, c.ctx.Now()), sent, common.Plural(sent, "webhook", "webhooks"))
	return tea.Batch(reload, func() tea.Msg { return common.StatusMsg{Text: text} })
}

// resend delivers again the latest update whose delivery failed.
func (c *Pane) resend() tea.Cmd {
	inc := c.ctx.Incident
	if inc == nil || c.resending {
		return nil
	}
	var hooks []notify.Target
	if c.ctx.Config != nil {
		hooks = c.ctx.Config.Targets()
	}
	if len(hooks) == 0 {
		return common.ErrCmd(errors.New("no webhook is configured; add webhooks to the config file to deliver updates"))
	}
	var target *incident.Update
	for i := range inc.Updates {
		u := &inc.Updates[i]
		if !u.Backfilled && (notify.Failed(*u) || len(u.Delivery) == 0) && (target == nil || u.At.After(target.At)) {
			target = u
		}
	}
	if target == nil {
		return func() tea.Msg {
			return common.StatusMsg{Text: "Every published update was delivered; nothing to re-send"}
		}
	}
	c.resending = true
	u := *target
	st, id := c.ctx.Store, c.ctx.IncidentID
	n := c.notifier(hooks)
	m := notify.MessageFor(inc, u, c.ctx.Policy())
	return tea.Batch(
		func() tea.Msg {
			return common.StatusMsg{Text: "Re-sending the " + common.ClockAt(u.At, c.ctx.Now()) + " update"}
		},
		func() tea.Msg {
			ds := n.Resend(context.Background(), m)
			return deliveredMsg{id: id, update: u, delivery: ds, err: st.SetDelivery(id, u.ID, ds)}
		})
}

// resume sends the deliveries a cockpit or command that quit left pending
// (notify.Resume): checked every tick, so a cockpit resumes them as soon
// as it opens, and a lease that runs out while it is open is taken over.
// The check is in memory; the store is read only when there is work.
func (c *Pane) resume() tea.Cmd {
	inc := c.ctx.Incident
	if inc == nil || c.ctx.Config == nil || c.ctx.Store == nil {
		return nil
	}
	n := c.notifier(c.ctx.Config.Targets())
	if !n.HasResumable(inc) {
		return nil
	}
	st, id, p := c.ctx.Store, c.ctx.IncidentID, c.ctx.Policy()
	return func() tea.Msg {
		res, err := n.Resume(context.Background(), st, id, p)
		if err != nil {
			return common.ErrMsg{Err: fmt.Errorf("could not resume the pending deliveries: %w", err)}
		}
		var msgs tea.BatchMsg
		for _, r := range res {
			msgs = append(msgs, func() tea.Msg { return deliveredMsg{id: id, update: r.Update, delivery: r.Tried} })
		}
		switch len(msgs) {
		case 0:
			return common.ReloadMsg{}
		case 1:
			return msgs[0]()
		}
		return msgs
	}
}

// tick refreshes the template's times, resumes pending deliveries and
// rings the bell (config bell) once when the update becomes overdue.
func (c *Pane) tick() tea.Cmd {
	if c.ctx.Incident == nil {
		return nil
	}
	if c.Templated && !c.Editing {
		c.setValue(c.template())
	}
	resume := c.resume()
	state, prev := c.Countdown().State, c.state
	c.state = state
	term := c.ctx.Terminal
	if state != incident.CountdownOverdue || prev == "" || prev == incident.CountdownOverdue ||
		c.ctx.Config == nil || !c.ctx.Config.Bell || term == nil {
		return resume
	}
	return tea.Batch(resume, func() tea.Msg {
		_, _ = io.WriteString(term, "\a")
		return nil
	})
}

func (c *Pane) Countdown() incident.Countdown {
	return incident.CountdownAt(c.ctx.Incident, c.ctx.Policy(), c.ctx.Now())
}
