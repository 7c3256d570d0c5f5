// Package tui is warroom's full-screen Bubble Tea program: the root model
// that routes between the screens, owns the global keys and follows the
// incident on screen. It is the only package cmd/warroom and the SSH server
// import.
//
// # Where things are
//
//	tui/            the root Model (model.go): New, Run, ProgramOptions, screens and routing,
//	                global keys, runs of keys (keyinput.go), following the incident
//	                (follow.go), presence (presence.go)
//	tui/common/     Context, Styles, the one KeyMap, Component, shared messages, the
//	                ordered write path, render helpers; imports no screen
//	tui/cockpit/    header, timeline pane, capture line, incident pane, layout
//	tui/comms/      the public update pane: countdown, draft, jargon check, publishing
//	tui/retro/      the retrospective: sections, timeline analysis, five whys, actions
//	tui/list/       the incident list, its search and the declare form
//	tui/preview/    the Markdown export rendered in the terminal
//	tui/viewer/     the read-only stakeholder view for SSH viewer keys
//
// Dependencies point one way: the root imports the screens, a screen may
// import the panes it is made of (the cockpit holds the comms pane), and
// everything imports common; nothing imports upward or sideways.
//
// # Shape
//
// The root Model is built by New from Options that carry every dependency
// (store, config, clock, author, incident id, size); nothing is global, so
// the same constructor serves a local terminal (Run) and an SSH session.
// One common.Context is shared by pointer with every component. All I/O
// runs in tea.Cmds that return typed messages; writes go through the
// context's one ordered queue (common.Context.Write), so they commit in the
// order people made them. Update and View never block; errors travel as
// common.ErrMsg and show in the status line.
//
// # Plugging in a pane or a screen
//
// A pane in the cockpit's right column or a full screen implements
// common.Component. A pane under the incident pane is returned by
// rightPanes in cockpit/cockpit.go; a screen by newScreen in model.go for
// its common.Screen value. Components get every data message
// (common.IncidentLoadedMsg, common.TickMsg, common.AppliedMsg,
// tea.WindowSizeMsg via SetSize) and, when focused, the keys.
package tui
