package retro

import (
	"fmt"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// SavedMsg reports a retro change that reached the store. what is the
// note for the status line; "" for saves as you type, which stay quiet.
type SavedMsg struct {
	id    int64
	what  string
	retro incident.Retro
	// Saves says how each free-text section saved landed, for merges.
	Saves map[string]sectionSave
}

// retroSections returns the configured section titles.
func retroSections(ctx *common.Context) []string {
	if ctx.Config == nil {
		return incident.DefaultSections
	}
	return ctx.Config.Sections()
}

// newActionUID names a new action, why or factor.
func newActionUID() string { return store.NewUID() }

// retroWriteCmd changes the retro in one store transaction. fn gets the
// stored retro with the configured sections in place, the author and the
// time; its error (one sentence) goes to the status line and nothing is
// saved.
func retroWriteCmd(ctx *common.Context, what string, fn func(r *incident.Retro, author string, now time.Time) error) tea.Cmd {
	return retroMergeCmd(ctx, what, func(r *incident.Retro, author string, now time.Time) (string, error) {
		return "", fn(r, author, now)
	})
}

// retroMergeCmd is retroWriteCmd for changes that may meet a teammate's:
// fn's note, when not empty, replaces what in the status line.
func retroMergeCmd(ctx *common.Context, what string, fn func(r *incident.Retro, author string, now time.Time) (string, error)) tea.Cmd {
	st, id, author, now, sections := ctx.Store, ctx.IncidentID, ctx.Author, ctx.Now(), retroSections(ctx)
	if st == nil || id == 0 {
		return common.ErrCmd(common.ErrNoIncident)
	}
	return ctx.Write(func() tea.Msg {
		note := ""
		r, err := st.UpdateRetro(id, author, now, func(r *incident.Retro) error {
			incident.EnsureSections(r, sections)
			incident.FillActionUIDs(r, newActionUID)
			n, err := fn(r, author, now)
			note = n
			incident.FillActionUIDs(r, newActionUID)
			return err
		})
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		if note != "" {
			what = note
		}
		return SavedMsg{id: id, what: what, retro: r}
	})
}

// TextSaver writes free text as it is typed. Saves go through the ordered
// write path, and each takes, when it runs, the newest text of every
// section then pending, so the last save to land holds the last text typed.
// It also keeps, per section, the revision this program last wrote or
// adopted: a save is made on that copy, so only a teammate's edit in
// between makes it merge (never overwrite) in the store.
type TextSaver struct {
	mu      sync.Mutex // guards pending and base
	pending map[string]string
	base    map[string]store.Edit
}

func (s *TextSaver) Set(title, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil {
		s.pending = map[string]string{}
	}
	s.pending[title] = text
}

// has reports whether text for title is waiting to be written.
func (s *TextSaver) has(title string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.pending[title]
	return ok
}

// adopt records a stored revision shown on screen, unless a newer one was
// written meanwhile.
func (s *TextSaver) adopt(title string, rev int64, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base == nil {
		s.base = map[string]store.Edit{}
	}
	if rev >= s.base[title].BaseRev {
		s.base[title] = store.Edit{BaseRev: rev, Base: text}
	}
}

// sectionSave is how one section's save landed: what was sent and what the
// store holds now.
type sectionSave struct {
	sent   string
	Merged store.Merged
}

// SaveCmd writes whatever is pending; nil when nothing is.
func (s *TextSaver) SaveCmd(ctx *common.Context) tea.Cmd {
	s.mu.Lock()
	n := len(s.pending)
	s.mu.Unlock()
	if n == 0 || ctx.Store == nil || ctx.IncidentID == 0 {
		return nil
	}
	st, id, author, now, sections := ctx.Store, ctx.IncidentID, ctx.Author, ctx.Now(), retroSections(ctx)
	return ctx.Write(func() tea.Msg {
		s.mu.Lock()
		todo := s.pending
		s.pending = nil
		s.mu.Unlock()
		if len(todo) == 0 {
			return nil
		}
		saves := map[string]sectionSave{}
		var retro incident.Retro
		var failed error
		for title, text := range todo {
			s.mu.Lock()
			b := s.base[title]
			s.mu.Unlock()
			var m store.Merged
			var r incident.Retro
			var err error
			if section, ok := strings.CutPrefix(title, perspectivePrefix); ok {
				// One's own perspective: written as typed, nobody else's.
				r, err = st.SetPerspective(id, section, author, text, now, sections)
				m = store.Merged{Text: text}
			} else {
				m, r, err = st.SetSectionText(id, title, store.Edit{BaseRev: b.BaseRev, Base: b.Base, Text: text}, author, now, sections)
			}
			if err != nil {
				failed = err
				// Keep the text for the next save unless newer text arrived.
				s.mu.Lock()
				if _, newer := s.pending[title]; !newer {
					if s.pending == nil {
						s.pending = map[string]string{}
					}
					s.pending[title] = text
				}
				s.mu.Unlock()
				continue
			}
			s.adopt(title, m.Rev, m.Text)
			saves[title] = sectionSave{sent: text, Merged: m}
			retro = r
		}
		if failed != nil {
			return common.ErrMsg{Err: fmt.Errorf("the retro text was not saved (%w); it is kept and saved with the next change", failed)}
		}
		return SavedMsg{id: id, retro: retro, Saves: saves}
	})
}
