// Package notify delivers published public updates: to webhook targets in
// the formats chat tools take (Slack, Mattermost, Discord, Google Chat,
// Teams Workflows, and signed JSON for anything else), and to the
// clipboard through OSC 52.
//
// Delivery never loses an update: the caller stores the update first and
// then records what Deliver returns with store.SetDelivery. Every try has a
// timeout and failed tries are retried with backoff, so a slow or dead
// endpoint costs time in a goroutine, never the update itself. A delivery
// left pending by a process that quit is resumed by the next one (see
// Resume), and every try of one update to one target carries the same
// X-Warroom-Delivery id, so a receiver can drop a repeat.
//
// Each update reaches each target once. Chat tools (Slack, Discord, …) do
// not drop repeats, so a try is journaled (WithJournal) before its request
// goes out, and a try whose request went out without an answer (a timeout
// after sending, a reset, a process that died while sending) is "unknown —
// may have arrived": it is never retried by itself, only when a person
// asks (Resend), or to a target that drops repeats by id (Dedups).
//
// Webhook URLs carry secrets (a Slack hook URL is its own password), so the
// target recorded on a delivery is its name or Redact(url), and error texts
// never quote the URL; the record can go into an export without leaking it.
package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Defaults for Options.
const (
	DefaultTimeout       = 5 * time.Second
	DefaultTries         = 3
	DefaultBackoff       = time.Second
	DefaultMaxRetryAfter = 30 * time.Second
)

// bodyLimit is how much of an answer is read for its reason; the rest is
// drained up to drainLimit so the connection can be reused, then dropped.
const (
	bodyLimit  = 512
	drainLimit = 4 << 10
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
	// MaxRetryAfter caps the wait a 429's Retry-After asks for. Default 30s.
	MaxRetryAfter time.Duration
	// Client sends the requests; default a client with no overall timeout
	// (each try has its own). Redirects are never followed, whatever the
	// client says: a redirected POST either loses its body or re-posts
	// the update to a host nobody configured.
	Client *http.Client
	// Now stamps deliveries and judges leases; default time.Now.
	Now func() time.Time
}

// Notifier delivers updates to a fixed set of targets.
type Notifier struct {
	targets []Target
	opts    Options

	// journal, when set, records every try of an update of incident
	// journalID before its request goes out.
	journal   Journal
	journalID int64
}

// Journal records the state of one update on one target durably: when
// RecordDelivery returns nil the record is on disk. The store implements it.
type Journal interface {
	RecordDelivery(id, updateID int64, d incident.Delivery) error
}

// WithJournal returns a copy of n that records each try of an update of
// incident id in j before sending it, so that after a crash the record
// says a request may have gone out (see Resume). A try that cannot be
// recorded is not sent.
func (n *Notifier) WithJournal(j Journal, id int64) *Notifier {
	cp := *n
	cp.journal, cp.journalID = j, id
	return &cp
}

// record journals try number attempts of m to t as a lease of this
// process (pending, no error).
func (n *Notifier) record(t Target, m Message, attempts int) error {
	if n.journal == nil || m.Test || m.Update.ID == 0 {
		return nil
	}
	return n.journal.RecordDelivery(n.journalID, m.Update.ID, incident.Delivery{
		Target: t.Label(), State: incident.DeliveryPending, Attempts: attempts, At: n.claimTime(), Owner: ownerToken()})
}

// New returns a Notifier for the configured targets.
func New(targets []Target, opts Options) *Notifier {
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
	if opts.MaxRetryAfter <= 0 {
		opts.MaxRetryAfter = DefaultMaxRetryAfter
	}
	c := &http.Client{}
	if opts.Client != nil {
		cp := *opts.Client
		c = &cp
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	opts.Client = c
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Notifier{targets: append([]Target(nil), targets...), opts: opts}
}

// Targets returns the configured targets.
func (n *Notifier) Targets() []Target { return append([]Target(nil), n.targets...) }

// Pending returns a pending delivery for every target, to store right after
// publishing so the update shows its targets while delivery runs. Each is a
// lease (see Lease): until it runs out no other process resumes it.
func (n *Notifier) Pending() []incident.Delivery {
	out := make([]incident.Delivery, len(n.targets))
	for i, t := range n.targets {
		out[i] = incident.Delivery{Target: t.Label(), State: incident.DeliveryPending, At: n.claimTime(), Owner: ownerToken()}
	}
	return out
}

// Deliver posts the update to every target at once and returns one
// delivery per target, in the configured order, when all are done. It
// returns nil when no target is configured or the update is backfilled
// (published in the past, so never delivered).
//
// When ctx's deadline passes first, what was not delivered yet is returned
// pending with the reason (parked): the next Resume sends it. A cancelled
// ctx fails it instead. Either way, a try whose request went out with no
// answer yet is unknown, not parked (unless the target drops repeats).
func (n *Notifier) Deliver(ctx context.Context, m Message) []incident.Delivery {
	if len(n.targets) == 0 || m.Update.Backfilled {
		return nil
	}
	out := make([]incident.Delivery, len(n.targets))
	var wg sync.WaitGroup
	for i, t := range n.targets {
		wg.Go(func() {
			key := DeliveryID(m, t)
			release := holdInflight(key)
			defer release()
			out[i] = n.Send(ctx, t, m)
		})
	}
	wg.Wait()
	return out
}

// Resend tries again every target that has not received the update, and
// returns the update's deliveries to store. A person asked for it, so a
// delivery whose outcome is unknown is sent again too. The ones that were sent, are
// still in the hands of a live process, or are not webhooks (the
// clipboard) are kept as they were. A backfilled update is never sent.
func (n *Notifier) Resend(ctx context.Context, m Message) []incident.Delivery {
	u := m.Update
	out := append([]incident.Delivery(nil), u.Delivery...)
	if u.Backfilled {
		return out
	}
	index := map[string]int{}
	for i, d := range out {
		index[d.Target] = i
	}
	type job struct {
		t Target
		i int
	}
	var jobs []job
	now := n.opts.Now()
	for _, t := range n.targets {
		i, ok := index[t.Label()]
		if ok && (out[i].State == incident.DeliverySent || n.leased(out[i], now) || inflight(DeliveryID(m, t))) {
			continue
		}
		if !ok {
			out = append(out, incident.Delivery{Target: t.Label()})
			i = len(out) - 1
			index[out[i].Target] = i
		}
		jobs = append(jobs, job{t, i})
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		prev := out[j.i].Attempts
		wg.Go(func() {
			release := holdInflight(DeliveryID(m, j.t))
			defer release()
			out[j.i] = n.send(ctx, j.t, m, prev)
		})
	}
	wg.Wait()
	return out
}

// Failed reports whether any webhook delivery of u failed, never
// finished, or may not have arrived: what a person may want to re-send.
func Failed(u incident.Update) bool {
	for _, d := range u.Delivery {
		if d.State == incident.DeliveryFailed || d.State == incident.DeliveryPending || d.State == incident.DeliveryUnknown {
			return true
		}
	}
	return false
}

// Send posts m to one target, trying up to Tries times, and says how it
// went. Every try carries the same X-Warroom-Delivery id.
func (n *Notifier) Send(ctx context.Context, t Target, m Message) incident.Delivery {
	return n.send(ctx, t, m, 0)
}

// send is Send for a delivery already tried prev times.
//
// A try whose request went out with no answer ends the delivery as
// unknown: it may have arrived, and a chat tool would show a repeat. Only
// a target that drops repeats by id is tried again.
func (n *Notifier) send(ctx context.Context, t Target, m Message, prev int) incident.Delivery {
	d := incident.Delivery{Target: t.Label(), Attempts: prev}
	body := Body(t, m)
	id := DeliveryID(m, t)
	wait := n.opts.Backoff
	final := false // the last answer settled it: no try is owed
	for try := 1; ; try++ {
		if err := n.record(t, m, prev+try); err != nil {
			if d.State == "" {
				d.State = incident.DeliveryFailed
				d.Error = "not sent: warroom could not record the attempt first (" + describe(err, n.opts.Timeout) + ")"
			}
			final = true
			break
		}
		d.Attempts = prev + try
		err := n.post(ctx, t, id, m, body)
		if err == nil {
			d.State = incident.DeliverySent
			d.Error = ""
			break
		}
		var lost answerless
		if errors.As(err, &lost) {
			d.State = incident.DeliveryUnknown
			d.Error = lost.reason(ctx, n.opts.Timeout)
			if !t.Dedups() {
				final = true
				break
			}
		} else {
			d.State = incident.DeliveryFailed
			d.Error = describe(err, n.opts.Timeout)
		}
		var perm permanentError
		if errors.As(err, &perm) {
			final = true
			break
		}
		if try >= n.opts.Tries {
			break
		}
		pause := wait
		var se statusError
		if errors.As(err, &se) && se.retryAfter > pause {
			pause = min(se.retryAfter, n.opts.MaxRetryAfter)
		}
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
		case <-timer.C:
		}
		if ctx.Err() != nil {
			break
		}
		wait *= 2
	}
	if d.State != incident.DeliverySent && !final && ctx.Err() != nil {
		d = n.cutShort(ctx, d)
	}
	d.At = n.opts.Now()
	return d
}

// answerless is the error of a try whose request was written in full and
// that got no answer: the receiver may have taken the update.
type answerless struct{ error }

func (e answerless) Unwrap() error { return e.error }

// reason says why the outcome is unknown, for the delivery's record.
func (e answerless) reason(ctx context.Context, timeout time.Duration) string {
	why := describe(e.error, timeout)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		why = "warroom stopped waiting for an answer"
	}
	return why + " after the update was sent"
}

// cutShort says why ctx ended a delivery: a deadline (a command that waits
// only so long) parks it for the next process to resume; a cancellation
// fails it.
func (n *Notifier) cutShort(ctx context.Context, d incident.Delivery) incident.Delivery {
	last := d.Error
	if d.State == incident.DeliveryUnknown {
		// A target that drops repeats: parked, it is sent again.
		last = ""
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		d.State = incident.DeliveryPending
		d.Error = "not delivered yet: warroom stopped waiting"
		if last != "" && !strings.HasPrefix(last, "no answer within") {
			d.Error += " (last answer: " + last + ")"
		}
		d.Error += "; the cockpit or the next update sends it"
		return d
	}
	d.State = incident.DeliveryFailed
	if c := describe(ctx.Err(), n.opts.Timeout); c != last {
		// Retries were cut short: say so, and keep the last reason.
		d.Error = c
		if last != "" {
			d.Error += " after: " + last
		}
	}
	return d
}

// statusError is an answer that is not a delivery: a status other than
// 2xx, or a 2xx whose body says the update was refused.
type statusError struct {
	code       int
	body       string
	refused    bool          // a 2xx with an error body
	retryAfter time.Duration // from a 429's Retry-After
}

func (e statusError) Error() string {
	status := fmt.Sprintf("%d %s", e.code, http.StatusText(e.code))
	switch {
	case e.refused:
		return "the webhook answered " + status + " but refused the update: " + e.body
	case e.code >= 300 && e.code < 400:
		return "the webhook answered " + status + ", a redirect, which warroom does not follow; put the final URL in the config"
	case e.code == http.StatusTooManyRequests && e.retryAfter > 0:
		status += fmt.Sprintf(" (asked to wait %s)", e.retryAfter.Round(time.Second))
	}
	msg := "the webhook answered " + status
	if e.body != "" {
		msg += ": " + e.body
	}
	return msg
}

// permanentError wraps a failure that trying again will not fix, such as a
// 404 for a revoked Slack hook.
type permanentError struct{ error }

func (n *Notifier) post(ctx context.Context, t Target, id string, m Message, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, n.opts.Timeout)
	defer cancel()
	u, err := url.Parse(t.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return permanentError{errors.New("the webhook URL is not a valid http(s) URL")}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return permanentError{errors.New("the webhook URL is not valid")}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "warroom")
	req.Header.Set("X-Warroom-Delivery", id)
	event := "update"
	if m.Test {
		event = "test"
	}
	req.Header.Set("X-Warroom-Event", event)
	if t.format() == FormatJSON && t.Secret != "" {
		req.Header.Set("X-Warroom-Signature", Sign(t.Secret, body))
	}
	// Whether the whole request went out decides what a missing answer
	// means: before, the update cannot have arrived; after, it may have.
	var wrote atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				wrote.Store(true)
			}
		},
	}))
	resp, err := n.opts.Client.Do(req)
	if err != nil {
		if wrote.Load() {
			return answerless{err}
		}
		return err
	}
	defer resp.Body.Close()
	// Slack answers "ok" or a short reason ("no_service", "invalid_payload").
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, bodyLimit))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		if reason := refusal(t.format(), msg); reason != "" {
			return permanentError{statusError{code: code, body: reason, refused: true}}
		}
		return nil
	}
	e := statusError{code: code, body: shortBody(msg)}
	if code == http.StatusTooManyRequests {
		e.retryAfter = retryAfter(resp.Header.Get("Retry-After"), n.opts.Now())
	}
	retry := code >= 500 || code == http.StatusTooManyRequests || code == http.StatusRequestTimeout
	if !retry {
		return permanentError{e}
	}
	return e
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
		return time.Duration(min(s, 24*3600) * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// slackToken is the shape of Slack's one-word answers.
var slackToken = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// refusal finds an error in the body of a 2xx answer: Slack (and what
// copies it) answers 200 with "invalid_payload" or similar in some cases,
// and API-style receivers with {"ok": false, "error": …}. It returns "" for
// an answer that is a delivery.
func refusal(f Format, body []byte) string {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return ""
	}
	if b[0] == '{' {
		var v struct {
			OK      *bool  `json:"ok"`
			Success *bool  `json:"success"`
			Error   any    `json:"error"`
			Message string `json:"message"`
		}
		if json.Unmarshal(b, &v) != nil {
			return ""
		}
		if (v.OK != nil && !*v.OK) || (v.Success != nil && !*v.Success) {
			reason := v.Message
			if s, ok := v.Error.(string); ok && s != "" {
				reason = s
			}
			if reason == "" {
				reason = shortBody(b)
			}
			return shortBody([]byte(reason))
		}
		return ""
	}
	if f != FormatSlack && f != FormatMattermost {
		return ""
	}
	s := string(b)
	if !slackToken.MatchString(s) {
		return ""
	}
	switch s {
	case "ok", "success", "accepted", "true", "queued":
		return ""
	}
	return s
}

func shortBody(b []byte) string {
	s := strings.Join(strings.Fields(incident.CleanLine(string(b))), " ")
	if len(s) > 120 {
		s = strings.ToValidUTF8(s[:120], "") + "…"
	}
	return s
}

// DeliveryID is the X-Warroom-Delivery id of m to t: derived from the
// update's uid and the target's URL, so it is the same on every try, in
// every process, and never says what the URL is. It is shaped as a UUID
// (version 8).
func DeliveryID(m Message, t Target) string {
	sum := sha256.Sum256([]byte("warroom delivery\x00" + updateID(m) + "\x00" + t.URL))
	return uuidString(sum[:16])
}

// uuidString formats 16 bytes as a version 8 (custom) UUID.
func uuidString(b []byte) string {
	u := make([]byte, 16)
	copy(u, b)
	u[6] = u[6]&0x0f | 0x80
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
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
