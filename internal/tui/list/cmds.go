package list

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// LoadCmd reads every incident for the list screen, and then, without
// holding the list back, the trends across them for its summary line.
func LoadCmd(st *store.Store, now time.Time, p incident.Policy) tea.Cmd {
	list := func() tea.Msg {
		list, err := st.ListIncidents()
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		pending, err := st.PendingAlerts()
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return LoadedMsg{list: list, pending: pending}
	}
	stats := func() tea.Msg {
		all, err := st.AllIncidents()
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return StatsLoadedMsg{stats: export.ComputeStats(all, now, p), index: export.NewSearchIndex(all)}
	}
	return tea.Batch(list, stats)
}

// createIncidentCmd declares an incident and opens it.
func createIncidentCmd(ctx *common.Context, title string, sev incident.Severity, lead, comms string) tea.Cmd {
	st, now, author, policy := ctx.Store, ctx.Now(), ctx.Author, ctx.Policy()
	sections := incident.DefaultSections
	if ctx.Config != nil {
		sections = ctx.Config.Sections()
	}
	return ctx.Write(func() tea.Msg {
		inc, err := incident.NewIncident(title, sev, now, policy)
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		// The template's sections exist from the moment it is declared.
		incident.EnsureSections(&inc.Retro, sections)
		if lead != "" {
			inc.Roles[incident.RoleLead] = lead
		}
		if comms != "" {
			inc.Roles[incident.RoleComms] = comms
		}
		out, err := st.CreateIncident(inc, author)
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return common.OpenIncidentMsg{ID: out.ID}
	})
}

// declarePendingCmd declares the incident a pending alert waits for, with
// the form's fields, and opens it.
func declarePendingCmd(ctx *common.Context, p store.PendingAlert, title string, sev incident.Severity, lead, comms string) tea.Cmd {
	st, now, author := ctx.Store, ctx.Now(), ctx.Author
	return ctx.Write(func() tea.Msg {
		form := p.Form()
		form.Title, form.Severity = title, sev
		form.Roles = map[string]string{}
		if lead != "" {
			form.Roles[incident.RoleLead] = lead
		}
		if comms != "" {
			form.Roles[incident.RoleComms] = comms
		}
		out, err := st.DeclarePending(p.ID, form, author, now)
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return common.OpenIncidentMsg{ID: out.ID}
	})
}

// dismissCmd drops a pending alert without declaring anything.
func dismissCmd(ctx *common.Context, p store.PendingAlert) tea.Cmd {
	st := ctx.Store
	return ctx.Write(func() tea.Msg {
		if err := st.DismissPending(p.ID); err != nil {
			return common.ErrMsg{Err: err}
		}
		return DismissedMsg{id: p.ID, name: firstNonEmpty(p.Origin.Name, p.Declare.Title)}
	})
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
