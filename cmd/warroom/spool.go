package main

import (
	"fmt"
	"io"
	"os"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// writeJSON writes the JSON document of the incident args name (the only
// open one when they name none) to output, or to stdout for "" and "-",
// holding one entry, change or operation in memory at a time (see
// export.WriteJSON). withOps adds the operations (export --format json;
// show --json leaves them out).
//
// The document is written first into a spool file, a temporary file that
// is unlinked as soon as it is made, while the database is read; it is
// copied to its destination after the read. The store reads the incident
// in chunks and starts again when a write changes it meanwhile, so only a
// whole, consistent document reaches stdout or the file (and a pager or a
// slow pipe never holds up the database's writers).
func (a *app) writeJSON(args []string, withOps bool, output string) (*incident.Incident, error) {
	st, id, err := a.openIncident(optionalArg(args))
	if err != nil {
		return nil, err
	}
	spool, err := os.CreateTemp("", "warroom-*.json")
	if err != nil {
		return nil, fmt.Errorf("cannot make a temporary file for the JSON: %v", unwrapPathErr(err))
	}
	_ = os.Remove(spool.Name())
	defer spool.Close()
	var head *incident.Incident
	err = st.StreamIncident(id, withOps, func(inc *incident.Incident, w store.IncidentWalk) error {
		// Called again from the start when a write moved the incident
		// while it was read: what the last call wrote goes.
		if err := spool.Truncate(0); err != nil {
			return err
		}
		if _, err := spool.Seek(0, io.SeekStart); err != nil {
			return err
		}
		head = inc
		return export.WriteJSON(spool, inc, a.cfg.Policy(), export.Source(w))
	})
	if err != nil {
		return nil, err
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if output == "" || output == "-" {
		_, err = io.Copy(a.stdout, spool)
		return head, err
	}
	f, err := os.OpenFile(output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %v", output, unwrapPathErr(err))
	}
	if _, err := io.Copy(f, spool); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("cannot write %s: %v", output, unwrapPathErr(err))
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("cannot write %s: %v", output, unwrapPathErr(err))
	}
	return head, nil
}
