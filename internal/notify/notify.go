// Package notify delivers published public updates: to webhooks that take
// Slack-compatible JSON, and to the clipboard through OSC 52.
//
// Delivery never loses an update: the caller stores the update first and
// then records what Deliver returns with store.SetDelivery. Every try has a
// timeout and failed tries are retried with backoff, so a slow or dead
// endpoint costs time in a goroutine, never the update itself.
//
// Webhook URLs carry secrets (a Slack hook URL is its own password), so the
// target recorded on a delivery is Redact(url) and error texts never quote
// the URL; the record can go into an export without leaking it.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Defaults for Options.
const (
	DefaultTimeout = 5 * time.Second
	DefaultTries   = 3
	DefaultBackoff = time.Second
)

// Options tune delivery; the zero value means the defaults.
type Options struct {
	// Timeout bounds one try (connect, send, answer). Default 5s.
	Timeout time.Duration
	// Tries is how many times to try a target in all. Default 3.
	Tries int
	// Backoff is the wait before the second try; it doubles for each
	// further try. Default 1s.
	Backoff time.Duration
	// Client sends the requests; default a client with no overall timeout
	// (each try has its own).
	Client *http.Client
	// Now stamps deliveries; default time.Now.
	Now func() time.Time
}

// Notifier delivers updates to a fixed set of webhooks.
type Notifier struct {
	hooks []string
	opts  Options
}

// New returns a Notifier for the configured webhook URLs.
func New(webhooks []string, opts Options) *Notifier {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Tries <= 0 {
		opts.Tries = DefaultTries
	}
	if opts.Backoff < 0 {
		opts.Backoff = 0
	} else if opts.Backoff == 0 {
		opts.Backoff = DefaultBackoff
	}
	if opts.Client == nil {
		opts.Client = &http.Client{}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Notifier{hooks: append([]string(nil), webhooks...), opts: opts}
}

// Webhooks returns the configured URLs.
func (n *Notifier) Webhooks() []string { return append([]string(nil), n.hooks...) }

// Pending returns a pending delivery for every webhook, to store right after
// publishing so the update shows its targets while delivery runs.
func (n *Notifier) Pending() []incident.Delivery {
	out := make([]incident.Delivery, len(n.hooks))
	for i, h := range n.hooks {
		out[i] = incident.Delivery{Target: Redact(h), State: incident.DeliveryPending, At: n.opts.Now()}
	}
	return out
}

// Deliver posts the update to every webhook at once and returns one
// delivery per webhook, in the configured order, when all are done. It
// returns nil when no webhook is configured.
func (n *Notifier) Deliver(ctx context.Context, u incident.Update) []incident.Delivery {
	if len(n.hooks) == 0 {
		return nil
	}
	out := make([]incident.Delivery, len(n.hooks))
	var wg sync.WaitGroup
	for i, h := range n.hooks {
		wg.Go(func() { out[i] = n.Send(ctx, h, u.Text) })
	}
	wg.Wait()
	return out
}

// Resend tries again every webhook that has not received the update, and
// returns the update's deliveries to store: the ones that were sent or are
// not webhooks (the clipboard) are kept as they were.
func (n *Notifier) Resend(ctx context.Context, u incident.Update) []incident.Delivery {
	out := append([]incident.Delivery(nil), u.Delivery...)
	index := map[string]int{}
	for i, d := range out {
		index[d.Target] = i
	}
	type job struct {
		hook string
		i    int
	}
	var jobs []job
	for _, h := range n.hooks {
		i, ok := index[Redact(h)]
		if ok && out[i].State == incident.DeliverySent {
			continue
		}
		if !ok {
			out = append(out, incident.Delivery{Target: Redact(h)})
			i = len(out) - 1
			index[out[i].Target] = i
		}
		jobs = append(jobs, job{h, i})
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		prev := out[j.i].Attempts
		wg.Go(func() {
			d := n.Send(ctx, j.hook, u.Text)
			d.Attempts += prev
			out[j.i] = d
		})
	}
	wg.Wait()
	return out
}

// Failed reports whether any webhook delivery of u failed or never finished.
func Failed(u incident.Update) bool {
	for _, d := range u.Delivery {
		if d.State == incident.DeliveryFailed || d.State == incident.DeliveryPending {
			return true
		}
	}
	return false
}

// Send posts text to one webhook, trying up to Tries times, and says how it
// went.
func (n *Notifier) Send(ctx context.Context, hook, text string) incident.Delivery {
	d := incident.Delivery{Target: Redact(hook)}
	body := Payload(text)
	wait := n.opts.Backoff
	for try := 1; ; try++ {
		d.Attempts = try
		err := n.post(ctx, hook, body)
		if err == nil {
			d.State = incident.DeliverySent
			d.Error = ""
			break
		}
		d.State = incident.DeliveryFailed
		d.Error = describe(err, n.opts.Timeout)
		var perm permanentError
		if try >= n.opts.Tries || errors.As(err, &perm) {
			break
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
		if ctx.Err() != nil {
			// Retries were cut short: say so, and keep the last reason.
			if c := describe(ctx.Err(), n.opts.Timeout); c != d.Error {
				d.Error = c + " after: " + d.Error
			}
			break
		}
		wait *= 2
	}
	d.At = n.opts.Now()
	return d
}

// statusError is an answer other than 2xx.
type statusError struct {
	code int
	body string
}

func (e statusError) Error() string {
	msg := fmt.Sprintf("the webhook answered %d %s", e.code, http.StatusText(e.code))
	if e.body != "" {
		msg += ": " + e.body
	}
	return msg
}

// permanentError wraps a failure that trying again will not fix, such as a
// 404 for a revoked Slack hook.
type permanentError struct{ error }

func (n *Notifier) post(ctx context.Context, hook string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, n.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook, bytes.NewReader(body))
	if err != nil {
		return permanentError{errors.New("the webhook URL is not valid")}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "warroom")
	resp, err := n.opts.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	// Slack answers "ok" or a short reason ("no_service", "invalid_payload").
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	e := statusError{code: resp.StatusCode, body: shortBody(msg)}
	retry := resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout
	if !retry {
		return permanentError{e}
	}
	return e
}

func shortBody(b []byte) string {
	s := strings.Join(strings.Fields(incident.CleanLine(string(b))), " ")
	if len(s) > 120 {
		s = strings.ToValidUTF8(s[:120], "") + "…"
	}
	return s
}

// describe turns a delivery error into a short reason a person can act on,
// without the URL that net/http errors quote.
func describe(err error, timeout time.Duration) string {
	var se statusError
	var dns *net.DNSError
	var ue *url.Error
	switch {
	case errors.As(err, &se):
		return se.Error()
	case errors.Is(err, context.Canceled):
		return "delivery was cancelled"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Sprintf("no answer within %s", timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.As(err, &dns):
		return fmt.Sprintf("host %s not found", dns.Name)
	case errors.As(err, &ue):
		return ue.Err.Error()
	}
	return err.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Payload is the Slack-compatible JSON body for an update's text.
func Payload(text string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// Keep "&amp;" readable; the JSON is still valid without \u0026.
	enc.SetEscapeHTML(false)
	_ = enc.Encode(struct {
		Text string `json:"text"`
	}{EscapeSlack(incident.CleanText(text))})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// EscapeSlack escapes the three characters Slack's message format reserves
// for its own markup: &, < and >.
func EscapeSlack(s string) string {
	return slackEscaper.Replace(s)
}

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Redact shortens a webhook URL to something safe to store and show: the
// scheme and host, and the last four characters of the rest, enough to tell
// two hooks on one host apart.
func Redact(hook string) string {
	u, err := url.Parse(hook)
	if err != nil || u.Host == "" {
		return "webhook"
	}
	rest := strings.TrimPrefix(u.EscapedPath(), "/")
	if u.RawQuery != "" {
		rest += "?" + u.RawQuery
	}
	base := u.Scheme + "://" + u.Host
	switch {
	case rest == "":
		return base
	case len(rest) <= 4:
		return base + "/" + rest
	}
	return base + "/…" + rest[len(rest)-4:]
}
