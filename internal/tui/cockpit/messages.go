package cockpit

// UIStateMsg brings back the half-typed capture line saved last time.
type UIStateMsg struct {
	id    int64
	value string
	// prompt is an entry edit or re-time in progress (savedPrompt JSON).
	prompt string
	// wrap is the user's timeline wrap preference ("on" or "").
	wrap string
}

// SaveLineMsg fires after typing pauses; seq tells whether more typing
// happened since.
// force marks the tick of the longest wait (common.MaxSaveWait), which saves even
// while typing goes on.
type SaveLineMsg struct {
	Seq   int
	Force bool
}

// FindMsg is the text typed at the find prompt, for the timeline.
type FindMsg struct{ Text string }
