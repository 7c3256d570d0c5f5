package retro

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// retroFactors edits the contributing factors shown beside the five-whys
// chain: each a short cause, optionally flagged as luck and linked to the
// timeline entries that show it. The links are chosen from the timeline in
// a picker (t), so nobody types entry numbers.
type retroFactors struct {
	ctx  *common.Context
	keys *common.RetroKeys
	r    *incident.Retro
	// inc is the incident with its entries, for resolving evidence.
	inc *incident.Incident
	Sel int
	// Form is open while adding (editing == "") or editing factor editing;
	// base is the factor as it was then, for merging a teammate's edit.
	Form    *retroForm
	editing string
	base    incident.Factor
	confirm common.Question
	// Picker is open while the selected factor's evidence is chosen.
	Picker *evidencePicker
	// links are each factor's evidence resolved against the timeline on
	// screen, by factor uid: worked out when the retro or the incident
	// arrives, not in every frame.
	links map[string][]incident.EvidenceLink
}

func (v *retroFactors) setRetro(r *incident.Retro) {
	v.r = r
	v.Sel = max(min(v.Sel, len(r.Factors)-1), 0)
	v.links = map[string][]incident.EvidenceLink{}
	if inc := v.inc; inc != nil {
		for _, f := range r.Factors {
			v.links[f.UID] = inc.Evidence(f)
		}
	}
	if v.Picker != nil {
		v.Picker.setIncident(v.inc)
	}
}

func (v retroFactors) typing() bool { return v.Form != nil || v.confirm.Open() || v.Picker != nil }

func (v *retroFactors) selected() (incident.Factor, bool) {
	if v.Sel < 0 || v.Sel >= len(v.r.Factors) {
		return incident.Factor{}, false
	}
	return v.r.Factors[v.Sel], true
}

var factorLabels = []string{"Factor", "Lucky"}

func (v *retroFactors) openForm(f incident.Factor, editing bool, w int) {
	title, lucky := "New contributing factor", "no"
	v.editing = ""
	if editing {
		title, v.editing, v.base = "Edit contributing factor", f.UID, f
		if f.Lucky {
			lucky = "yes"
		}
	}
	v.Form = newRetroForm(v.ctx, v.keys, title, factorLabels,
		[]string{"a condition that helped it happen", "yes if this is where we got lucky"},
		[]string{f.Cause, lucky}).choices(1)
	v.Form.setWidth(w)
}

func (v retroFactors) update(msg tea.Msg, w int) (retroFactors, tea.Cmd) {
	if v.Picker != nil {
		res := v.Picker.update(msg)
		switch res {
		case formCancel:
			v.Picker = nil
		case formSubmit:
			p := v.Picker
			v.Picker = nil
			uid, base, chosen := p.factor, p.base, p.chosen()
			return v, retroWriteCmd(v.ctx, "Evidence linked", func(r *incident.Retro, author string, now time.Time) error {
				return incident.SetEvidence(r, uid, base, chosen, author, now)
			})
		}
		return v, nil
	}
	if took, submit, cmd := stepForm(&v.Form, msg); took {
		if submit {
			return v.submit()
		}
		return v, cmd
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return v, nil
	}
	k := v.keys
	if v.confirm.Open() {
		ans := v.confirm.Answer(v.ctx, km, k.Confirm, k.Cancel)
		if ans != common.NotAnswer {
			v.confirm.Close(v.ctx)
		}
		if f, ok := v.selected(); ok && ans == common.Yes {
			uid, n := f.UID, v.Sel+1
			return v, retroWriteCmd(v.ctx, fmt.Sprintf("Factor %d deleted", n), func(r *incident.Retro, author string, now time.Time) error {
				return incident.DeleteFactor(r, uid, author, now)
			})
		}
		return v, nil
	}
	f, have := v.selected()
	switch {
	case key.Matches(km, k.Up):
		v.Sel = max(v.Sel-1, 0)
	case key.Matches(km, k.Down):
		v.Sel = max(min(v.Sel+1, len(v.r.Factors)-1), 0)
	case key.Matches(km, k.Add), key.Matches(km, k.Factor):
		v.openForm(incident.Factor{}, false, w)
	case !have:
		return v, nil
	case key.Matches(km, k.Edit), key.Matches(km, k.Enter):
		v.openForm(f, true, w)
	case key.Matches(km, k.Lucky):
		uid, what := f.UID, "Marked as where we got lucky"
		if f.Lucky {
			what = "Luck mark removed"
		}
		return v, retroWriteCmd(v.ctx, what, func(r *incident.Retro, author string, now time.Time) error {
			_, err := incident.ToggleLucky(r, uid, author, now)
			return err
		})
	case key.Matches(km, k.Evidence):
		v.Picker = newEvidencePicker(v.ctx, v.keys, f, v.inc)
	case key.Matches(km, k.Delete):
		return v, v.confirm.Ask(v.ctx)
	}
	return v, nil
}

// submit stores the form: a new factor, or the edited one.
func (v retroFactors) submit() (retroFactors, tea.Cmd) {
	cause := strings.TrimSpace(v.Form.Value(0))
	lucky, err := parseYes(v.Form.Value(1))
	if err != nil {
		v.Form.err = err.Error()
		return v, nil
	}
	if cause == "" {
		v.Form.err = "Name a condition that helped the incident happen; esc cancels."
		return v, nil
	}
	uid, base := v.editing, v.base
	v.Form = nil
	if uid == "" {
		v.Sel = len(v.r.Factors)
		return v, retroWriteCmd(v.ctx, "Factor added; t links the timeline entries that show it", func(r *incident.Retro, author string, now time.Time) error {
			_, err := incident.AddFactor(r, cause, lucky, author, now, newActionUID)
			return err
		})
	}
	return v, retroMergeCmd(v.ctx, "Factor changed", func(r *incident.Retro, author string, now time.Time) (string, error) {
		note, err := incident.EditFactorFrom(r, uid, base, cause, author, now, newActionUID)
		if err != nil {
			return "", err
		}
		if f := r.Factor(uid); f != nil && f.Lucky != lucky {
			if _, err := incident.ToggleLucky(r, uid, author, now); err != nil {
				return "", err
			}
		}
		return note, nil
	})
}

// parseYes reads the form's yes/no field.
func parseYes(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "n", "no", "false":
		return false, nil
	case "y", "yes", "true", "lucky":
		return true, nil
	}
	return false, fmt.Errorf("lucky is %q; type yes or no", incident.CleanLine(s))
}

// view renders the factors below the chain, at inner width w. It returns
// the lines and the one the selection is on.
func (v retroFactors) view(w int, focused bool) ([]string, int) {
	st := v.ctx.Styles
	title := st.PaneTitle.Render("Contributing factors")
	if !focused {
		title = st.Label.Render("Contributing factors")
	}
	out := []string{"", " " + title}
	selLine := 0
	if len(v.r.Factors) == 0 {
		out = append(out, " "+st.Faint.Render(common.Cut("What else made it possible? f adds a factor, with the entries that show it.", w-1)))
	}
	for i, f := range v.r.Factors {
		num := fmt.Sprintf("F%d", i+1)
		cause := incident.CleanLine(f.Cause)
		if f.Lucky {
			cause += " " + st.Warn.Render("(lucky)")
		}
		if i == v.Sel {
			selLine = len(out)
		}
		lines := common.Wrap(cause, max(w-6, 10))
		for j, l := range lines {
			lead := "     "
			if j == 0 {
				lead = " " + st.Bold.Render(common.Fit(num, 3)) + " "
			}
			row := lead + st.Text.Render(l)
			if j == 0 && focused && i == v.Sel && v.Form == nil && v.Picker == nil {
				row = st.Selected.Render(common.Fit(st.SelectionMarker.Render("›")+st.Bold.Render(common.Fit(num, 3))+" "+st.Text.Render(l), w))
			}
			out = append(out, common.Cut(row, w))
		}
		for _, l := range v.evidence(f) {
			out = append(out, common.Cut("     "+l, w))
		}
	}
	return out, selLine
}

// evidence describes a factor's linked entries, one line each.
func (v retroFactors) evidence(f incident.Factor) []string {
	st := v.ctx.Styles
	now := v.ctx.Now()
	var out []string
	for _, l := range v.links[f.UID] {
		switch {
		case l.Entry.ID == 0:
			out = append(out, st.Faint.Render("↳ an entry not in this database"))
		case l.Deleted:
			out = append(out, st.Faint.Render(fmt.Sprintf("↳ #%d was deleted", l.Entry.ID)))
		default:
			at := common.ClockAt(l.Entry.At.In(now.Location()), now)
			out = append(out, st.Muted.Render("↳ "+at+" ")+st.Text.Render(incident.CleanLine(l.Entry.Text)))
		}
	}
	return out
}

// foot is the factors' footer while they have the keys.
func (v retroFactors) foot(w int) []string {
	st := v.ctx.Styles
	switch {
	case v.Picker != nil:
		return v.Picker.view(w)
	case v.Form != nil:
		return append([]string{""}, v.Form.view(w)...)
	case v.confirm.Open():
		return []string{" " + st.Warn.Render(common.Cut(fmt.Sprintf("Delete factor %d?", v.Sel+1)+v.confirm.Answers(v.ctx, " y/enter deletes · n/esc keeps it"), w-1))}
	}
	return []string{" " + st.Hint.Render(common.Cut("f add · e edit · t link entries · l lucky · d delete · tab chain · esc back", w-1))}
}

func (v retroFactors) shortHelp() []key.Binding {
	k := v.keys
	switch {
	case v.Picker != nil:
		return []key.Binding{
			key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move")),
			key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "link/unlink")),
			key.NewBinding(key.WithKeys("backspace"), key.WithHelp("letters", "find")),
			common.WithHelp(k.Enter, "save"), common.WithHelp(k.Cancel, "cancel")}
	case v.Form != nil:
		return []key.Binding{k.NextField, common.WithHelp(k.Enter, "next/save"), common.WithHelp(k.Cancel, "cancel")}
	case v.confirm.Open():
		return []key.Binding{common.WithHelp(k.Confirm, "delete"), common.WithHelp(k.Cancel, "keep")}
	}
	return []key.Binding{k.Up, k.Factor, k.Edit, k.Evidence, k.Lucky, k.Delete, common.WithHelp(k.SwitchList, "chain"), common.WithHelp(k.Cancel, "back")}
}

// evidencePicker chooses the timeline entries that show a factor: the
// visible entries with a mark on those linked. Typing filters them (words
// of the entry, its author or its time), ↑/↓ move, tab links and unlinks,
// enter saves, esc clears the filter and then leaves the links as they
// were. An early entry of a long timeline is a few letters away, not dozens
// of presses.
type evidencePicker struct {
	ctx     *common.Context
	keys    *common.RetroKeys
	factor  string
	base    []string
	linked  map[string]bool
	entries []incident.Entry
	// filter is what was typed; shown are the entries that match it, as
	// indexes into entries, and sel the selected one among them.
	filter string
	shown  []int
	sel    int
	rows   int
}

func newEvidencePicker(ctx *common.Context, keys *common.RetroKeys, f incident.Factor, inc *incident.Incident) *evidencePicker {
	p := &evidencePicker{ctx: ctx, keys: keys, factor: f.UID, base: slices.Clone(f.Evidence), linked: map[string]bool{}, rows: 8}
	for _, uid := range f.Evidence {
		p.linked[uid] = true
	}
	p.setIncident(inc)
	p.sel = len(p.shown) - 1
	for i, j := range p.shown {
		if p.linked[p.entries[j].UID] {
			p.sel = i
			break
		}
	}
	return p
}

// current is the selected entry's uid, or "".
func (p *evidencePicker) current() string {
	if p.sel >= 0 && p.sel < len(p.shown) {
		return p.entries[p.shown[p.sel]].UID
	}
	return ""
}

// setIncident takes the timeline again after a reload, keeping the
// selection on the same entry.
func (p *evidencePicker) setIncident(inc *incident.Incident) {
	cur := p.current()
	p.entries = nil
	if inc != nil {
		p.entries = inc.VisibleEntries()
	}
	p.refilter(cur)
}

// refilter shows the entries matching the filter, keeping cur selected when
// it is still shown, else the newest match.
func (p *evidencePicker) refilter(cur string) {
	words := strings.Fields(strings.ToLower(p.filter))
	now := p.ctx.Now()
	p.shown = p.shown[:0]
	for i, e := range p.entries {
		hay := strings.ToLower(incident.CleanLine(e.Text) + " " + e.Author + " " + common.ClockAt(e.At.In(now.Location()), now))
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(hay, w) }) {
			p.shown = append(p.shown, i)
		}
	}
	p.sel = len(p.shown) - 1
	if i := slices.IndexFunc(p.shown, func(j int) bool { return p.entries[j].UID == cur }); i >= 0 && cur != "" {
		p.sel = i
	}
	p.sel = max(p.sel, 0)
}

// chosen is the linked entries in the order the factor had them, then
// the new ones in timeline order.
func (p *evidencePicker) chosen() []string {
	var out []string
	for _, uid := range p.base {
		if p.linked[uid] {
			out = append(out, uid)
		}
	}
	for _, e := range p.entries {
		if p.linked[e.UID] && !slices.Contains(out, e.UID) {
			out = append(out, e.UID)
		}
	}
	return out
}

func (p *evidencePicker) update(msg tea.Msg) formResult {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return formEditing
	}
	k := p.keys
	last := len(p.shown) - 1
	switch {
	case km.Type == tea.KeyEscape && p.filter != "":
		p.filter = ""
		p.refilter(p.current())
	case km.Type == tea.KeyEscape:
		return formCancel
	case km.Type == tea.KeyEnter, key.Matches(km, k.SaveForm):
		return formSubmit
	case km.Type == tea.KeyUp:
		p.sel = max(p.sel-1, 0)
	case km.Type == tea.KeyDown:
		p.sel = max(min(p.sel+1, last), 0)
	case km.Type == tea.KeyPgUp:
		p.sel = max(p.sel-p.rows, 0)
	case km.Type == tea.KeyPgDown:
		p.sel = max(min(p.sel+p.rows, last), 0)
	case km.Type == tea.KeyHome:
		p.sel = 0
	case km.Type == tea.KeyEnd:
		p.sel = max(last, 0)
	case km.Type == tea.KeyTab:
		if uid := p.current(); uid != "" {
			p.linked[uid] = !p.linked[uid]
		}
	case km.Type == tea.KeyBackspace && p.filter != "":
		r := []rune(p.filter)
		p.filter = string(r[:len(r)-1])
		p.refilter(p.current())
	case (km.Type == tea.KeyRunes || km.Type == tea.KeySpace) && !km.Alt:
		p.filter += incident.CleanLine(string(km.Runes))
		p.refilter(p.current())
	}
	return formEditing
}

func (p *evidencePicker) view(w int) []string {
	st := p.ctx.Styles
	now := p.ctx.Now()
	out := []string{"", " " + st.PaneTitle.Render("Evidence from the timeline")}
	if len(p.entries) == 0 {
		return append(out, " "+st.Faint.Render(common.Cut("The timeline is empty.", w-1)))
	}
	find := st.Faint.Render("type to find an entry")
	if p.filter != "" {
		find = st.Text.Render(incident.CleanLine(p.filter)) + st.Faint.Render(fmt.Sprintf("  %d of %d", len(p.shown), len(p.entries)))
	}
	out = append(out, " "+common.Cut(st.Prompt.Render("find › ")+find, w-1))
	if len(p.shown) == 0 {
		out = append(out, " "+st.Faint.Render(common.Cut("No entry matches; backspace or esc widens the search.", w-1)))
	}
	start := max(min(p.sel-p.rows/2, len(p.shown)-p.rows), 0)
	for i := start; i < min(start+p.rows, len(p.shown)); i++ {
		e := p.entries[p.shown[i]]
		box := "[ ]"
		if p.linked[e.UID] {
			box = "[x]"
		}
		text := box + " " + common.ClockAt(e.At.In(now.Location()), now) + " " + common.KindMark(e.Kind) + " " + incident.CleanLine(e.Text)
		if i == p.sel {
			out = append(out, st.Selected.Render(common.Fit(st.SelectionMarker.Render("›")+st.Text.Render(text), w)))
		} else {
			out = append(out, " "+common.Cut(st.Text.Render(text), w-1))
		}
	}
	return append(out, " "+st.Hint.Render(common.Cut("type to find · ↑/↓ move · tab links or unlinks · enter saves · esc cancels", w-1)))
}
