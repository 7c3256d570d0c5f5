package common

import (
	"sync"

	"github.com/muesli/termenv"
)

// Memo keeps pieces of frames (a pane, a timeline row) by everything they
// are drawn from. The sessions of one `warroom serve` share one: they show
// the same copy of the incident (tui.Timelines), so a row or a pane drawn
// for one session whose size, zone and colours another's agree with is
// drawn once for the room rather than once per session. A local cockpit
// has a memo of its own. Safe for concurrent use; bounded, it starts afresh
// when full, as what it holds is for the copies on screen now.
type Memo struct {
	mu sync.Mutex
	m  map[any]any
}

// memoLimit is how many pieces a Memo keeps: a room's frames hold a few
// hundred (the rows in view, the panes).
const memoLimit = 8192

// NewMemo is an empty Memo.
func NewMemo() *Memo { return &Memo{m: map[any]any{}} }

// Get is the piece kept for key.
func (m *Memo) Get(key any) (any, bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[key]
	return v, ok
}

// Put keeps v for key. Keys must be comparable, and name everything the
// piece is drawn from (a copy of the incident is never changed once shown,
// so its pointer names its content).
func (m *Memo) Put(key, v any) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.m) >= memoLimit {
		clear(m.m)
	}
	m.m[key] = v
}

// Look is what decides how a piece is coloured: the terminal's colour
// profile and background, and the theme.
type Look struct {
	profile termenv.Profile
	dark    bool
	theme   Theme
}

// Look is the styles' Look, taken once: the renderer asks the terminal
// for its background once, and draws with that answer from then on.
func (s *Styles) Look() Look {
	s.lookOnce.Do(func() {
		s.look = Look{profile: s.Renderer.ColorProfile(), dark: s.Renderer.HasDarkBackground(), theme: s.Theme}
	})
	return s.look
}
