package main

import (
	"io"
	"strings"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// printPendingAlerts says which alerts wait to be declared ([alerts]
// declare = false), after the incidents `warroom list` prints: a pending
// alert is the start of an incident nobody has declared yet.
func printPendingAlerts(w io.Writer, st *store.Store) error {
	pend, err := st.PendingAlerts()
	if err != nil || len(pend) == 0 {
		return err
	}
	names := make([]string, len(pend))
	for i, p := range pend {
		name := p.Origin.Name
		if name == "" {
			name = p.Declare.Title
		}
		names[i] = incident.CleanLine(name) + " (" + incident.CleanLine(p.Origin.Source) + ")"
	}
	noun := "alerts wait"
	if len(pend) == 1 {
		noun = "alert waits"
	}
	printf(w, "\n%d %s to be declared: %s. Open warroom and press enter on one in the incident list.\n", len(pend), noun, strings.Join(names, ", "))
	return nil
}
