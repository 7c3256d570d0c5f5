// Package receiver is warroom's local alert receiver (product.md §9): HTTP
// endpoints that Alertmanager's webhook_config, Grafana's webhook contact
// point and any PagerDuty Events v2 or CDEvents sender can post to. It is
// the same path as `warroom alert`: internal/alert decodes and plans, and
// store.ApplyAlerts writes one transaction per request, sharing the
// database with open cockpits and scripts like any other writer.
//
// Every request needs the bearer token ([alerts] token or token_file),
// compared in constant time; without it the answer is 401 and nothing is
// read or written. A body over the limit gets 413, a payload that is not
// what the endpoint takes gets 400 with one sentence, an accepted one 202.
package receiver

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/charmbracelet/log"

	"github.com/warroom-cli/warroom/internal/alert"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// DefaultMaxBody bounds a request's body: Alertmanager's largest groups
// are a few hundred KB.
const DefaultMaxBody = 1 << 20

// Options configure a receiver.
type Options struct {
	Store   *store.Store
	Token   string
	Rules   alert.Rules
	Now     func() time.Time
	Log     *log.Logger
	MaxBody int64 // 0: DefaultMaxBody
}

// Handler serves the alert endpoints.
type Handler struct {
	o    Options
	hash [32]byte // of the token, so the comparison takes the same time whatever the length
	mux  *http.ServeMux
}

// endpoint is what one path takes.
type endpoint struct {
	path    string
	formats []alert.Format // the first is forced unless it is Auto
	name    string
}

var endpoints = []endpoint{
	{"/alerts/alertmanager", []alert.Format{alert.Auto, alert.Alertmanager, alert.Grafana}, "Alertmanager or Grafana webhooks"},
	{"/alerts/pagerduty", []alert.Format{alert.PagerDuty}, "PagerDuty Events API v2 events"},
	{"/alerts/cdevents", []alert.Format{alert.CDEvents}, "CDEvents incident events"},
}

// New builds the handler. It refuses to serve without a token.
func New(o Options) (*Handler, error) {
	if strings.TrimSpace(o.Token) == "" {
		return nil, errors.New("the alert receiver needs a token; set [alerts] token or token_file")
	}
	if o.Store == nil {
		return nil, errors.New("the alert receiver needs a database")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.Log == nil {
		o.Log = log.New(io.Discard)
	}
	h := &Handler{o: o, hash: sha256.Sum256([]byte(o.Token)), mux: http.NewServeMux()}
	for _, ep := range endpoints {
		h.mux.Handle(ep.path, h.endpoint(ep))
	}
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.refuse(w, r, http.StatusNotFound, "there is nothing at "+r.URL.Path+"; post alerts to /alerts/alertmanager, /alerts/pagerduty or /alerts/cdevents")
	})
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// authorized compares the request's bearer token with the configured one
// in constant time.
func (h *Handler) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	return subtle.ConstantTimeCompare(got[:], h.hash[:]) == 1
}

// Reply is the body of a 202: what the payload did.
type Reply struct {
	Incident string `json:"incident,omitzero"` // "INC-3"; "" when pending or nothing done
	Declared bool   `json:"declared,omitzero"`
	Added    int    `json:"added"`
	Known    int    `json:"already_recorded"`
	Pending  string `json:"pending,omitzero"`
	Note     string `json:"note,omitzero"`
}

func (h *Handler) endpoint(ep endpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The token first: a request without it gets nothing read.
		if !h.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="warroom"`)
			h.refuse(w, r, http.StatusUnauthorized, "a valid bearer token is required (Authorization: Bearer TOKEN, the [alerts] token)")
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			h.refuse(w, r, http.StatusMethodNotAllowed, ep.path+" takes POST requests")
			return
		}
		if r.ContentLength > h.o.MaxBody {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is %d bytes, over the limit of %d", r.ContentLength, h.o.MaxBody))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.o.MaxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				h.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over the limit of %d bytes", h.o.MaxBody))
				return
			}
			h.refuse(w, r, http.StatusBadRequest, "the body could not be read ("+err.Error()+")")
			return
		}
		now := h.o.Now()
		ev, err := alert.Decode(body, ep.formats[0], now)
		if err == nil && !formatIn(ev.Source, ep.formats) {
			err = fmt.Errorf("%s takes %s, and this is a %s payload; post it to /alerts/%s", ep.path, ep.name, ev.Source, pathOf(ev.Source))
		}
		if err == nil {
			err = alert.Check(ev, now)
		}
		if err != nil {
			h.refuse(w, r, http.StatusBadRequest, alert.Message(err))
			return
		}
		if alert.IsTestNotification(ev) {
			h.o.Log.Info("test notification", "source", ev.Source, "from", r.RemoteAddr)
			data, _ := json.Marshal(Reply{Note: alert.TestNotificationNote})
			h.reply(w, http.StatusAccepted, "application/json", append(data, '\n'))
			return
		}
		batch := alert.Plan(ev, h.o.Rules)
		res, err := h.o.Store.ApplyAlerts([]incident.AlertBatch{batch}, h.o.Rules.Declare, now)
		if err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, store.ErrLocked) {
				// Alertmanager retries a 5xx; a busy file is worth a retry.
				status = http.StatusServiceUnavailable
			}
			h.o.Log.Error("alert not recorded", "source", ev.Source, "alert", ev.Name, "err", store.Message(err))
			h.reply(w, status, "text/plain; charset=utf-8", []byte(store.Message(err)+"\n"))
			return
		}
		rep := replyOf(res[0])
		h.o.Log.Info("alert", "source", ev.Source, "alert", ev.Name, "status", ev.Status, "incident", rep.Incident, "declared", rep.Declared, "added", rep.Added, "already", rep.Known, "pending", rep.Pending != "")
		if rep.Note != "" {
			h.o.Log.Warn(rep.Note)
		}
		data, _ := json.Marshal(rep)
		h.reply(w, http.StatusAccepted, "application/json", append(data, '\n'))
	})
}

func replyOf(r store.AlertResult) Reply {
	rep := Reply{Declared: r.Declared, Added: len(r.Added), Known: r.Known, Pending: r.Pending, Note: r.Note}
	if r.ID != 0 {
		rep.Incident = incident.FormatID(r.ID)
	}
	return rep
}

func formatIn(f alert.Format, fs []alert.Format) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

func pathOf(f alert.Format) string {
	if f == alert.Grafana {
		return "alertmanager"
	}
	return string(f)
}

// refuse answers with status and one sentence, and logs it.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	h.o.Log.Warn("refused", "status", status, "path", r.URL.Path, "from", r.RemoteAddr, "why", msg)
	h.reply(w, status, "text/plain; charset=utf-8", []byte(msg+"\n"))
}

func (h *Handler) reply(w http.ResponseWriter, status int, ctype string, body []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Serve serves the handler on l until ctx ends, then stops taking
// requests and lets those in progress finish (for at most grace).
func Serve(ctx context.Context, l net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	done := make(chan error, 1)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		done <- srv.Shutdown(sctx)
	}()
	err := srv.Serve(l)
	if errors.Is(err, http.ErrServerClosed) {
		return <-done
	}
	return err
}
