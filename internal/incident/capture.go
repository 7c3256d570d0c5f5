package incident

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Command names a slash command of the capture line.
type Command string

// The slash commands of product.md §3, plus /role for roles beyond the two
// the handbook names.
const (
	CmdNone   Command = ""
	CmdSev    Command = "sev"
	CmdStatus Command = "status"
	CmdLead   Command = "lead"
	CmdComms  Command = "comms"
	CmdRole   Command = "role"
	// CmdHandover gives a role (Role) to Person and writes a brief.
	CmdHandover Command = "handover"
	CmdETA      Command = "eta"
	CmdTag      Command = "tag"
	CmdEvery    Command = "every"
	CmdSnooze   Command = "snooze"
	CmdDraft    Command = "draft"
	CmdPublish  Command = "publish"
	CmdRetro    Command = "retro"
	CmdReview   Command = "review"
	CmdList     Command = "list"
	CmdPreview  Command = "preview"
	CmdHelp     Command = "help"
	// Milestone commands carry the milestone in Capture.Milestone.
	CmdMilestone Command = "milestone"
)

// CommandSpec documents one slash command for completion and help.
type CommandSpec struct {
	Name   string // as typed, without the slash
	Args   string // syntax of the arguments
	Help   string // one line
	Screen bool   // switches screens: only meaningful in the cockpit
}

// CommandSpecs lists every slash command, in the order help shows them.
var CommandSpecs = []CommandSpec{
	{Name: "status", Args: "NAME", Help: "set status: investigating, identified, monitoring, resolved"},
	{Name: "sev", Args: "N", Help: "set severity 1 (worst) to 4"},
	{Name: "lead", Args: "NAME", Help: "name the resolution lead"},
	{Name: "comms", Args: "NAME", Help: "name the communication lead"},
	{Name: "role", Args: "ROLE NAME", Help: "name a person for another role"},
	{Name: "handover", Args: "[comms] NAME", Help: "hand the lead (or comms) to NAME with a brief"},
	{Name: "eta", Args: "HH:MM", Help: "set the expected resolution time"},
	{Name: "tag", Args: "NAME", Help: "tag the incident"},
	{Name: "started", Args: "[TIME]", Help: "mark when impact began"},
	{Name: "detected", Args: "[TIME]", Help: "mark when it was detected"},
	{Name: "acknowledged", Args: "[TIME]", Help: "mark when it was acknowledged"},
	{Name: "mitigated", Args: "[TIME]", Help: "mark when impact was mitigated"},
	{Name: "resolved", Args: "[TIME]", Help: "mark resolved (sets status resolved)"},
	{Name: "every", Args: "DURATION", Help: "public update cadence, e.g. 20m"},
	{Name: "snooze", Args: "DUR [REASON]", Help: "push the next public update back once, saying why"},
	{Name: "draft", Args: "TEXT", Help: "replace the public update draft"},
	{Name: "publish", Args: "[TEXT]", Help: "publish the draft, or TEXT exactly"},
	{Name: "retro", Help: "open the retrospective", Screen: true},
	{Name: "review", Help: "walk the team through the retro (review meeting)", Screen: true},
	{Name: "list", Help: "open the incident list", Screen: true},
	{Name: "preview", Help: "preview the Markdown export", Screen: true},
	{Name: "help", Help: "show all keys and commands", Screen: true},
}

// CompleteCommand returns the slash commands that start with prefix (given
// with or without its slash).
func CompleteCommand(prefix string) []CommandSpec {
	p := strings.ToLower(strings.TrimPrefix(prefix, "/"))
	var out []CommandSpec
	for _, c := range CommandSpecs {
		if strings.HasPrefix(c.Name, p) {
			out = append(out, c)
		}
	}
	return out
}

// Capture is one parsed capture line: either an entry to log or a command.
type Capture struct {
	Command Command

	// For entries.
	Kind    Kind
	Starred bool
	// At is when the entry happened; zero means now.
	At   time.Time
	Text string

	// For commands; which fields are set depends on Command.
	Severity  Severity
	Status    Status
	Role      string // role name for lead, comms and role
	Person    string
	Time      time.Time // ETA or milestone time (zero: now)
	Duration  time.Duration
	Milestone Milestone
	Tag       string

	// Key, when set, makes the capture idempotent (warroom log --id): the
	// first entry it records carries the key, and the store turns a second
	// capture with the same key in the same incident into a no-op.
	Key string

	// SeenDraft, on a publish from a screen, is the stored draft the
	// person's text was based on: if a teammate changed the draft since,
	// nothing is published (store.ErrDraftChanged), so only text its
	// person saw goes out.
	SeenDraft *string
}

// MaxKeyBytes bounds an idempotency key; a UUID or a job id and attempt
// number fit many times over.
const MaxKeyBytes = 128

// CheckKey reports an idempotency key that is empty of text or too long.
func CheckKey(key string) error {
	switch {
	case strings.TrimSpace(key) == "":
		return fmt.Errorf("the idempotency key is empty; give one that names this write, e.g. --id deploy-4711-rollback")
	case len(key) > MaxKeyBytes:
		return fmt.Errorf("the idempotency key is %d bytes long, over the limit of %d; use a shorter one such as a UUID", len(key), MaxKeyBytes)
	}
	return nil
}

// IsEntry reports whether the capture logs a plain timeline entry.
func (c Capture) IsEntry() bool { return c.Command == CmdNone }

// MaxTextBytes bounds one entry, so a stray paste of a log file cannot make
// the timeline unusable. It is generous for anything a person types.
const MaxTextBytes = 64 << 10

// ParseCapture parses a capture line typed at time now.
//
// Entries take prefixes, in any order, before the text: "!" action,
// ">" decision, "?" question, "*" starred, "@HH:MM " or "@-10m " backdated.
// A line starting with "/" is a slash command.
func ParseCapture(line string, now time.Time) (Capture, error) {
	line = strings.TrimSpace(line)
	if line == "" {
		return Capture{}, fmt.Errorf("nothing to log; type some text")
	}
	if len(line) > MaxTextBytes {
		return Capture{}, fmt.Errorf("the text is %d KB, over the %d KB limit; shorten it or attach a link", len(line)>>10, MaxTextBytes>>10)
	}
	if strings.HasPrefix(line, "/") && !strings.HasPrefix(line, "//") {
		return parseCommand(line, now)
	}
	if strings.HasPrefix(line, "//") {
		// "//" escapes a leading slash for notes such as "//var/log is full".
		line = line[1:]
		return Capture{Kind: KindNote, Text: line}, nil
	}
	c := Capture{Kind: KindNote}
	rest := line
prefixes:
	for rest != "" {
		switch rest[0] {
		case '!':
			c.Kind = KindAction
		case '>':
			c.Kind = KindDecision
		case '?':
			c.Kind = KindQuestion
		case '*':
			c.Starred = true
		case '@':
			word, after, _ := strings.Cut(rest[1:], " ")
			at, err := ParsePast(word, now)
			if err != nil {
				return Capture{}, err
			}
			c.At = at
			rest = after
			rest = strings.TrimLeft(rest, " \t")
			continue
		default:
			break prefixes
		}
		rest = strings.TrimLeft(rest[1:], " \t")
	}
	c.Text = strings.TrimSpace(rest)
	if c.Text == "" {
		return Capture{}, fmt.Errorf("nothing to log after the prefix; type some text")
	}
	return c, nil
}

func parseCommand(line string, now time.Time) (Capture, error) {
	name, arg, _ := strings.Cut(line[1:], " ")
	name = strings.ToLower(name)
	arg = strings.TrimSpace(arg)
	need := func(what string) error {
		if arg == "" {
			return fmt.Errorf("/%s needs %s; for example /%s", name, what, example(name))
		}
		return nil
	}
	none := func() error {
		if arg != "" {
			return fmt.Errorf("/%s takes no arguments", name)
		}
		return nil
	}
	var c Capture
	switch name {
	case "sev", "severity":
		c.Command = CmdSev
		if err := need("a severity"); err != nil {
			return c, err
		}
		s, err := ParseSeverity(arg)
		if err != nil {
			return c, err
		}
		c.Severity = s
	case "status":
		c.Command = CmdStatus
		if err := need("a status"); err != nil {
			return c, err
		}
		s, err := ParseStatus(arg)
		if err != nil {
			return c, err
		}
		c.Status = s
	case "lead", "comms":
		c.Command = CmdLead
		c.Role = RoleLead
		if name == "comms" {
			c.Command = CmdComms
			c.Role = RoleComms
		}
		if err := need("a name"); err != nil {
			return c, err
		}
		if err := CheckName(roleHolder(c.Role), arg); err != nil {
			return c, err
		}
		c.Person = arg
	case "handover":
		// /handover NAME (the resolution lead) or /handover comms NAME.
		c.Command = CmdHandover
		c.Role = RoleLead
		if first, rest, ok := strings.Cut(arg, " "); ok && strings.EqualFold(first, "comms") {
			c.Role, arg = RoleComms, strings.TrimSpace(rest)
		} else if strings.EqualFold(arg, "comms") {
			arg = ""
		}
		if arg == "" {
			return c, fmt.Errorf("/handover needs the name of who takes over; for example /handover ben or /handover comms li")
		}
		if err := CheckName(roleHolder(c.Role), arg); err != nil {
			return c, err
		}
		c.Person = arg
	case "role":
		c.Command = CmdRole
		role, person, ok := strings.Cut(arg, " ")
		if !ok || strings.TrimSpace(person) == "" {
			return c, fmt.Errorf("/role needs a role and a name; for example /role scribe amara")
		}
		c.Role = strings.ToLower(strings.ReplaceAll(role, "_", " "))
		c.Person = strings.TrimSpace(person)
		if err := CheckName("the role's name", c.Role); err != nil {
			return c, err
		}
		if err := CheckName(roleHolder(c.Role), c.Person); err != nil {
			return c, err
		}
	case "eta":
		c.Command = CmdETA
		if err := need("a time"); err != nil {
			return c, err
		}
		t, err := ParseFuture(arg, now)
		if err != nil {
			return c, err
		}
		c.Time = t
	case "tag":
		c.Command = CmdTag
		if err := need("a tag"); err != nil {
			return c, err
		}
		if strings.ContainsAny(arg, " \t") {
			return c, fmt.Errorf("a tag is one word; use /tag NAME once per tag")
		}
		c.Tag = strings.ToLower(strings.TrimPrefix(arg, "#"))
		if err := CheckTag(c.Tag); err != nil {
			return c, err
		}
	case "every", "snooze":
		c.Command = CmdEvery
		if name == "snooze" {
			c.Command = CmdSnooze
		}
		if err := need("a duration"); err != nil {
			return c, err
		}
		dur, reason, _ := strings.Cut(arg, " ")
		if c.Command == CmdEvery && strings.TrimSpace(reason) != "" {
			return c, fmt.Errorf("/every takes one duration, e.g. /every 20m")
		}
		d, err := ParseDuration(dur)
		if err != nil {
			return c, err
		}
		c.Duration = d
		// /snooze 10m waiting for the vendor: the reason is logged.
		c.Text = strings.TrimSpace(reason)
	case "draft":
		c.Command = CmdDraft
		if err := need("the text of the update"); err != nil {
			return c, err
		}
		c.Text = arg
	case "publish":
		// /publish TEXT publishes exactly TEXT; bare /publish the draft.
		c.Command = CmdPublish
		c.Text = arg
	case "retro", "review", "list", "preview", "help":
		c.Command = Command(name)
		if err := none(); err != nil {
			return c, err
		}
	default:
		m := Milestone(name)
		if !slices.Contains(Milestones, m) {
			return c, fmt.Errorf("/%s is not a command; type /help to see them, or // to start a note with a slash", name)
		}
		c.Command = CmdMilestone
		c.Milestone = m
		if arg != "" {
			t, err := ParsePast(arg, now)
			if err != nil {
				return c, err
			}
			c.Time = t
		}
	}
	return c, nil
}

func example(name string) string {
	switch name {
	case "sev", "severity":
		return "sev 2"
	case "status":
		return "status identified"
	case "lead", "comms":
		return name + " amara"
	case "eta":
		return "eta 14:20"
	case "tag":
		return "tag database"
	case "every":
		return "every 20m"
	case "snooze":
		return "snooze 10m"
	case "draft":
		return "draft We are investigating slow checkout."
	}
	return name
}
