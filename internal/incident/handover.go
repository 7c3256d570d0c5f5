package incident

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// HandoverBrief is what the next holder of a role needs to pick the
// incident up (product.md §3): status and severity, time since impact began,
// the last public update and when the next is due, open questions, recent
// actions and decisions, and the starred entries. inc must hold its entries
// and updates. The first line says who handed what to whom.
func HandoverBrief(inc *Incident, role, from, to string, at time.Time, p Policy) string {
	var b strings.Builder
	if from == "" {
		from = "nobody"
	}
	fmt.Fprintf(&b, "Handover of the %s from %s to %s", role, from, to)
	since := inc.Milestones[Started]
	if since.IsZero() {
		since = inc.Created
	}
	fmt.Fprintf(&b, "\nState: %s, %s, %s since impact began", inc.Severity, inc.Status, FormatDuration(at.Sub(since)))
	if n := len(inc.Updates); n > 0 {
		last := slices.MaxFunc(inc.Updates, func(a, b Update) int { return a.At.Compare(b.At) })
		fmt.Fprintf(&b, "\nLast public update %s: %s", clock(last.At, at), strings.TrimSpace(CleanLine(last.Text)))
	} else {
		b.WriteString("\nNo public update published yet")
	}
	if inc.Status != Resolved {
		// The update's own closing punctuation ends the clause: "…by
		// 10:50; next due", never "…by 10:50.; next due".
		// A question or exclamation keeps its mark and the next sentence
		// starts after it.
		head := strings.TrimRight(b.String(), ".;:,… ")
		sep := "; next due "
		if strings.HasSuffix(head, "?") || strings.HasSuffix(head, "!") {
			sep = " Next due "
		}
		b.Reset()
		b.WriteString(head + sep + clock(NextUpdateDue(inc, p), at))
	}
	entries := inc.VisibleEntries()
	var open, recent, starred []string
	for i, e := range entries {
		switch {
		case e.Kind == KindQuestion && !answered(entries[i+1:]):
			open = append(open, CleanLine(e.Text))
		case e.Kind == KindAction || e.Kind == KindDecision:
			recent = append(recent, clock(e.At, at)+" "+CleanLine(e.Text))
		}
		if e.Starred {
			starred = append(starred, clock(e.At, at)+" "+CleanLine(e.Text))
		}
	}
	list := func(title string, items []string, most int) {
		if len(items) == 0 {
			return
		}
		if len(items) > most {
			items = items[len(items)-most:]
		}
		fmt.Fprintf(&b, "\n%s: %s", title, strings.Join(items, " | "))
	}
	list("Open questions", open, 5)
	list("Recent actions and decisions", recent, 5)
	list("Starred", starred, 5)
	return b.String()
}

// answered reports whether a later entry answers a question: a note or
// decision starting with "A:" or "answer:" (as people reply in a war room).
func answered(later []Entry) bool {
	for _, e := range later {
		t := strings.ToLower(strings.TrimSpace(e.Text))
		if strings.HasPrefix(t, "a:") || strings.HasPrefix(t, "answer:") || strings.HasPrefix(t, "answered:") {
			return true
		}
	}
	return false
}
