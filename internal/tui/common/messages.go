package common

import (
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// Screen names what fills the terminal below the status line.
type Screen int

// The screens. The root builds ScreenRetro and ScreenPreview when first shown (see newScreen in the root package).
const (
	ScreenCockpit Screen = iota
	ScreenList
	ScreenRetro
	ScreenPreview
	ScreenHelp
	ScreenReview
)

var screenNames = map[Screen]string{
	ScreenCockpit: "cockpit", ScreenList: "incident list", ScreenRetro: "retro",
	ScreenPreview: "preview", ScreenHelp: "help", ScreenReview: "review",
}

func (s Screen) String() string { return screenNames[s] }

// ErrMsg carries any failure to the status line. Its text is one sentence a
// person can act on.
type ErrMsg struct{ Err error }

func (e ErrMsg) Error() string { return store.Message(e.Err) }

// StatusMsg is a passing note for the status line ("Saved", "Copied").
type StatusMsg struct{ Text string }

// NoticeMsg is a status line message that outlives the keys typed right
// after it (the next key clears a StatusMsg): why a line of a burst was not
// logged, or that it changed nothing, must still be there to read once
// the burst is over. It stays for NoticeTicks seconds or until the next
// message replaces it.
type NoticeMsg struct {
	Text string
	Err  bool
}

// NoticeTicks is how many seconds a NoticeMsg outlives typing.
const NoticeTicks = 10

// IncidentLoadedMsg replaces the incident on screen. Partial means only the
// last part of a huge timeline was read; the rest follows.
type IncidentLoadedMsg struct {
	ID      int64
	Inc     *incident.Incident
	Stamp   store.Stamp
	Cursor  store.Cursor
	Partial bool
	Total   int
	// first marks the load that opened the incident.
	First bool
	// timeline is derived from inc off the Update loop.
	Timeline any
}

// QuitMsg asks the root to end the program the way ctrl+c does: what is
// typed is saved first.
type QuitMsg struct{}

// ReloadMsg asks the root to read the incident again now.
type ReloadMsg struct{}

// TickMsg arrives once a second for live clocks (elapsed time, countdowns).
type TickMsg time.Time

// AppliedMsg reports a capture line stored in the incident: an entry or a
// command, with what it recorded.
type AppliedMsg struct {
	Capture incident.Capture
	Result  incident.Result
	// head is the incident's own fields after the change and tx the
	// transaction it committed in (nil and 0 when not known).
	Head *incident.Incident
	Tx   uint64
	// TxWhole says the transaction held plain lines to this incident and
	// nothing else: TxEntries are all their entries, this write's
	// included, in the order written, and TxHead the head it left (see
	// store.Applied).
	TxWhole   bool
	TxEntries []incident.Entry
	TxHead    *incident.Incident
	// token is the pending row this write makes durable (0: none).
	Token int
}

// PendingMsg shows a typed line on the timeline at once, marked as saving,
// until the write with the same token lands.
type PendingMsg struct {
	Token int
	Entry incident.Entry
}

// QuietWriteMsg reports a write nobody needs to see (a half-typed line
// kept): its transaction is the program's own, so the poll that notices it
// reloads nothing.
type QuietWriteMsg struct{ Tx uint64 }

// ApplyFailedMsg reports a capture line the store refused; the line is given
// back to the capture line so nothing typed is lost.
type ApplyFailedMsg struct {
	Line  string
	Err   error
	Token int
}

// EntryChangedMsg reports an edit, re-time, star or deletion of an entry.
type EntryChangedMsg struct {
	What string
}

// OpenIncidentMsg asks the root to show the cockpit on an incident. Find,
// when set, is a search run on its timeline once loaded (the list's query
// that matched an entry), so the cockpit opens on the matching entry.
type OpenIncidentMsg struct {
	ID   int64
	Find string
}

// SwitchScreenMsg asks the root to show a screen.
type SwitchScreenMsg struct{ Screen Screen }

// PublishRequestMsg asks the comms pane to publish the draft, or Text when
// set (the capture line's /publish [TEXT]). The cockpit hands it over
// synchronously, in the order lines were typed.
type PublishRequestMsg struct{ Text string }

// DraftSetMsg replaces the public draft (the capture line's /draft TEXT),
// handed over synchronously like PublishRequestMsg.
type DraftSetMsg struct{ Text string }
