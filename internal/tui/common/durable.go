package common

import (
	"errors"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/store"
)

// A line the lead typed is written through WriteLine: while the file is
// held by another process or the disk is full, the write is tried again,
// and the queue behind it waits, so lines are stored in the order typed and
// each as its own entry once writing is possible again. Nothing is given
// back to the capture line to be merged with what is typed next. The
// timeline shows each waiting line as "saving…" meanwhile.

// Bounds of the wait between tries of a line the file or disk refused.
const (
	retryFirst = 50 * time.Millisecond
	retryMax   = time.Second
	// quitGrace is how long quitting keeps trying a refused line before
	// it gives up (and the line is reported, not stored).
	quitGrace = 5 * time.Second
)

// Transient reports a failure that passes by itself or once a person acts
// on the machine (another process's lock, a full disk): the write is worth
// trying again later, unchanged.
func Transient(err error) bool {
	return errors.Is(err, store.ErrLocked) || errors.Is(err, store.ErrDiskFull)
}

// retrying counts writes waiting for the file, and quitting is set once the
// program quits (see QuitWrites).
type retrying struct {
	waiting  atomic.Int64
	quitting atomic.Int64 // unix nanoseconds of the quit, 0 before
	// why is the last refusal's sentence (a *string).
	why atomic.Pointer[string]
}

// WriteLine queues fn on the ordered write path, trying it again while it
// fails with a Transient error. fn returns the message for its outcome and
// the error, if any; the message of the last try is delivered. Before each
// try, ctx.WriteFault (tests) may refuse the write as the disk would.
func (c *Context) WriteLine(fn func() (tea.Msg, error)) tea.Cmd {
	if fn == nil {
		return nil
	}
	fault := c.WriteFault
	r := &c.retry
	return c.Write(func() tea.Msg {
		wait := retryFirst
		counted := false
		defer func() {
			if counted {
				r.waiting.Add(-1)
			}
		}()
		for {
			var msg tea.Msg
			var err error
			if fault != nil {
				err = fault()
			}
			if err == nil {
				msg, err = fn()
			}
			if err != nil && msg == nil {
				msg = ErrMsg{Err: err}
			}
			if err == nil || !Transient(err) {
				return msg
			}
			if q := r.quitting.Load(); q != 0 && time.Since(time.Unix(0, q)) > quitGrace {
				return msg
			}
			why := store.Message(err)
			r.why.Store(&why)
			if !counted {
				counted = true
				r.waiting.Add(1)
			}
			time.Sleep(wait)
			wait = min(wait*2, retryMax)
		}
	})
}

// WaitingWrites is how many lines wait for the file or disk right now, and
// why the last try was refused.
func (c *Context) WaitingWrites() (int, string) {
	why := ""
	if p := c.retry.why.Load(); p != nil {
		why = *p
	}
	return int(c.retry.waiting.Load()), why
}

// QuitWrites tells waiting lines that the program is quitting: they keep
// trying for a few seconds more, then give up, so quitting on a full disk
// does not hang.
func (c *Context) QuitWrites() { c.retry.quitting.CompareAndSwap(0, time.Now().UnixNano()) }
