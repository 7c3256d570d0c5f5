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
	// panes keeps whole panes, the most recent last: each is tens of KB,
	// and a room shows a handful of versions of a pane at any moment.
	panes []memoPane
}

// memoPane is one whole pane and everything it was drawn from.
type memoPane struct {
	key any
	v   string
}

// paneLimit is how many whole panes a Memo keeps.
const paneLimit = 8

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

// Pane is the whole pane kept for key (see PutPane).
func (m *Memo) Pane(key any) (string, bool) {
	if m == nil {
		return "", false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.panes) - 1; i >= 0; i-- {
		if m.panes[i].key == key {
			return m.panes[i].v, true
		}
	}
	return "", false
}

// PutPane keeps a whole pane v for key, dropping the least recently kept
// beyond paneLimit. Keys name everything the pane is drawn from, as Put's.
func (m *Memo) PutPane(key any, v string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.panes) >= paneLimit {
		m.panes = append(m.panes[:0], m.panes[1:]...)
	}
	m.panes = append(m.panes, memoPane{key: key, v: v})
}

// Look is what decides how a piece is coloured: the terminal's colour
// profile and background, and the theme. It is a small number standing for
// them (looks), so that a key holding it hashes in a few nanoseconds: the
// theme is a dozen colours of six strings each, and hashing them for
// every row a room's sessions looked up was a tenth of the room's CPU.
type Look struct{ id uint32 }

// lookOf is what a Look stands for.
type lookOf struct {
	profile termenv.Profile
	dark    bool
	theme   Theme
}

// looks numbers each distinct lookOf the process has seen.
var looks struct {
	mu  sync.Mutex
	ids map[lookOf]uint32
}

// Look is the styles' Look, taken once: the renderer asks the terminal
// for its background once, and draws with that answer from then on.
func (s *Styles) Look() Look {
	s.lookOnce.Do(func() {
		of := lookOf{profile: s.Renderer.ColorProfile(), dark: s.Renderer.HasDarkBackground(), theme: s.Theme}
		looks.mu.Lock()
		defer looks.mu.Unlock()
		id, ok := looks.ids[of]
		if !ok {
			if looks.ids == nil {
				looks.ids = map[lookOf]uint32{}
			}
			id = uint32(len(looks.ids)) + 1
			looks.ids[of] = id
		}
		s.look = Look{id: id}
	})
	return s.look
}
