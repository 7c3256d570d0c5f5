package main

import (
	"golang.org/x/term"

	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// app carries what every command needs: the configuration, the database
// path, the clock and the output streams.
type app struct {
	cfg    *config.Config
	dbPath string // --db; empty means WARROOM_DB or the XDG default
	now    func() time.Time
	stdout io.Writer
	stderr io.Writer
}

func newApp(stdout, stderr io.Writer) *app {
	return &app{now: time.Now, stdout: stdout, stderr: stderr}
}

// loadConfig reads the configuration once; commands call it from PreRunE.
func (a *app) loadConfig() error {
	if a.cfg != nil {
		return nil
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	a.cfg = cfg
	// Every time a command reads (--at, --file, --due, a capture line's
	// @HH:MM) is read in the configured zone, as the cockpit reads it:
	// the parsers take the zone from now.
	clock, loc := a.now, a.location()
	a.now = func() time.Time { return clock().In(loc) }
	return nil
}

// clock shows t in the configured zone, with the date when it is not today.
func (a *app) clock(t time.Time) string { return config.Clock(t, a.now(), a.location()) }

// stamp is clock with the zone's abbreviation ("02:00 PST"), for a time
// printed on its own.
func (a *app) stamp(t time.Time) string { return config.Stamp(t, a.now(), a.location()) }

// stampDay is stamp for a time just typed: today's as "15:04 PST",
// yesterday's or tomorrow's as "23:00 PST yesterday, Dec 5", older ones
// with their date.
func (a *app) stampDay(t time.Time) string {
	loc := a.location()
	if loc == nil {
		loc = time.Local
	}
	now := a.now().In(loc)
	switch d := incident.DayWord(t, now); {
	case d == "":
		return t.In(loc).Format("15:04 MST")
	case strings.HasPrefix(d, "yesterday") || strings.HasPrefix(d, "tomorrow"):
		return t.In(loc).Format("15:04 MST") + " " + d
	}
	return a.stamp(t)
}

// zoneName names the configured zone ("America/Los_Angeles").
func (a *app) zoneName() string { return config.ZoneName(a.location()) }

// databasePath is --db, else WARROOM_DB, else the XDG default.
func (a *app) databasePath() string {
	if a.dbPath != "" {
		return a.dbPath
	}
	return config.DefaultDBPath()
}

// openStore opens the database, creating it if needed: for the commands
// that write (new, log, demo, import, open, serve and the cockpit).
func (a *app) openStore() (*store.Store, error) {
	return store.Open(a.databasePath())
}

// openForOneWrite opens the database for a process that writes once and
// exits (warroom log): the schema check happens in that write's own
// transaction, so the file is opened once.
func (a *app) openForOneWrite() (*store.Store, error) {
	return store.OpenDeferred(a.databasePath())
}

// openExisting opens the database for a command that only reads, or that
// changes what must already be there (edit, delete): a missing file is an
// error naming the path, so a mistyped --db creates nothing.
func (a *app) openExisting() (*store.Store, error) {
	return store.OpenExisting(a.databasePath())
}

// openIncident opens the existing database and resolves an optional
// incident argument (the only open incident when it is empty), for the
// commands that read or change what must already be there.
func (a *app) openIncident(arg string) (*store.Store, int64, error) {
	st, err := a.openExisting()
	if err != nil {
		return nil, 0, err
	}
	id, err := st.ResolveID(arg)
	if err != nil {
		return nil, 0, err
	}
	return st, id, nil
}

// loadIncident opens the store and loads the incident named by the
// optional argument, or the only open one.
func (a *app) loadIncident(args []string) (*incident.Incident, error) {
	st, id, err := a.openIncident(optionalArg(args))
	if err != nil {
		return nil, err
	}
	return st.Incident(id)
}

// printJSON writes v indented, the stable output of every --json flag.
func (a *app) printJSON(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	// C1 controls and bidi overrides as \u escapes, never raw.
	_, err := a.stdout.Write(export.EscapeJSON(buf.Bytes()))
	return err
}

// firstSentence keeps an error to the sentence a person reads: wrapped
// sentinel suffixes such as ": not found" are for code, not people.
func firstSentence(err error) string {
	msg := store.Message(err)
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// isTerminal reports whether f is a terminal, so commands that open the
// cockpit can refuse politely when scripted.
func isTerminal(f *os.File) bool {
	// A character device is not enough: /dev/null is one too, and a
	// script's `warroom demo >/dev/null` must not start the cockpit.
	return term.IsTerminal(int(f.Fd()))
}
