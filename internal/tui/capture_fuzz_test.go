package tui

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// captureOracle is what a person who typed the same keys expects stored:
// every line once, as typed, in the order typed, and no question answered
// by a key typed before it could be read.
type captureOracle struct {
	// line is what is on the capture line now.
	line string
	want []string
	// paste is a paste waiting for its question's answer, with the lines
	// typed after it; nil when none.
	paste *oraclePaste
	// publishOpen and publishArmed follow the jargon question of
	// /publish; pasteArmed the paste's.
	publishOpen, publishArmed bool
}

type oraclePaste struct {
	lines, after []string
	armed        bool
}

// logged records what logging line stores (a note, or the paste's
// commands, which tag).
func (o *captureOracle) logged(line string) {
	if o.paste != nil {
		o.paste.after = append(o.paste.after, line)
		return
	}
	o.want = append(o.want, entryOf(line))
}

func entryOf(line string) string {
	if t, ok := cutPrefix(line, "/tag "); ok {
		return "system:Tagged " + strings.ToLower(t)
	}
	return "note:" + line
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):], true
	}
	return "", false
}

// FuzzCaptureLine drives the cockpit with random interleavings of typed
// lines (as runs and key by key), pastes with and without commands,
// questions, time passing, answers and write failures, and checks that
// the store holds exactly what the oracle expects.
func FuzzCaptureLine(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 6, 5, 6, 0})
	f.Add([]byte{4, 6, 0, 5, 6, 7, 0, 1})
	f.Add([]byte{3, 0, 1, 6, 5, 0x16, 0})
	f.Add([]byte{4, 0x26, 5, 0x36, 7, 0, 7, 1, 2})
	f.Add([]byte{4, 5, 0x16, 4, 0x06, 0x26, 5, 0x06})
	f.Fuzz(fuzzBody)
}

func fuzzBody(t *testing.T, ops []byte) {
	{
		if len(ops) > 24 {
			ops = ops[:24]
		}
		st := openStore(t)
		id := seedComms(t, st)
		m := commsModel(t, st, id, testConfig(), nil, 120, 40)
		var fails atomic.Int64
		m.ctx.WriteFault = func() error {
			if fails.Load() > 0 && fails.Add(-1) >= 0 {
				return store.ErrDiskFull
			}
			return nil
		}
		before := len(entries(t, st, id))
		o := &captureOracle{}
		n := 0
		next := func() string { n++; return fmt.Sprintf("L%d", n) }
		for _, op := range ops {
			switch op % 8 {
			case 0: // a line typed in one run, then enter, in one burst: the
				// run is gathered (its timer never fires) and enter hands
				// it over first
				l := next()
				nm, _ := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(l)})
				m = press(t, nm.(Model), "enter")
				o.logged(o.line + l)
				o.line = ""
			case 1: // a line typed key by key, then enter
				l := next()
				m = typeText(t, m, l)
				m = press(t, m, "enter")
				o.logged(o.line + l)
				o.line = ""
			case 2, 3: // a paste of lines, with a command when op%8 == 3
				if o.paste != nil || o.line != "" {
					continue
				}
				lines := []string{next(), next()}
				if op%8 == 3 {
					lines = append(lines, "/tag t"+next())
				}
				m = send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune(lines[0] + "\r" + lines[1] + "\r" + lastOr(lines, 2))})
				if op%8 == 3 {
					o.paste = &oraclePaste{lines: lines}
				} else {
					for _, l := range lines {
						o.logged(l)
					}
				}
			case 4: // a draft with jargon and /publish, in one burst
				if o.paste != nil || o.line != "" {
					continue
				}
				m = typeLines(t, m, "/draft The db pods are slow", "/publish")
				o.publishOpen, o.publishArmed = true, false
			case 5: // time passes: every open question can be read
				m = armQuestions(m)
				o.publishArmed = o.publishOpen
				if o.paste != nil {
					o.paste.armed = true
				}
			case 6: // a single key: y, n, enter or esc
				k := []string{"y", "n", "enter", "esc"}[int(op>>4)%4]
				m = press(t, m, k)
				o.key(k)
			case 7: // the disk refuses the next writes
				fails.Store(int64(1 + int(op>>4)%2))
			}
		}
		m.ctx.WaitWrites()
		got := texts(t, st, id, before, incident.KindNote, incident.KindSystem, incident.KindPublic)
		if !slices.Equal(got, o.want) {
			t.Fatalf("ops %v:\nstored %q\nwant   %q", ops, got, o.want)
		}
		if v := m.cockpit.Capture.Value(); v != o.line {
			t.Fatalf("ops %v: the capture line holds %q, want %q", ops, v, o.line)
		}
	}
}

func lastOr(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}

// key is what a single key does: an answer only when a question is open,
// armed and nothing is half-typed; text or enter otherwise.
func (o *captureOracle) key(k string) {
	yes := k == "y" || k == "enter"
	if o.line == "" && o.paste != nil {
		if o.paste.armed {
			p := o.paste
			o.paste = nil
			if yes {
				for _, l := range p.lines {
					o.logged(l)
				}
			}
			for _, l := range p.after {
				o.logged(l)
			}
			return
		}
	} else if o.line == "" && o.publishOpen && o.publishArmed {
		o.publishOpen, o.publishArmed = false, false
		if yes {
			o.want = append(o.want, "public:The db pods are slow")
		}
		return
	}
	switch k {
	case "y", "n":
		o.line += k
	case "enter":
		if o.line != "" {
			o.logged(o.line)
			o.line = ""
		}
	}
}
