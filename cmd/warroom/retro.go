package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// The retro from scripts: each subcommand is one store call, made through
// the same domain functions as the retro screen (so the same rules and
// limits apply), recorded as operations like any other change. Each prints
// what it did, then the item it touched on the last line: the uid of a
// why, factor or action (as show --json lists it), the title of a section
// (for section and perspective) or the status, so a script can take it
// with tail -1.

// retroCLI is what the retro subcommands share: the app and -i.
type retroCLI struct {
	a  *app
	id string
}

func newRetroCmd(a *app) *cobra.Command {
	rc := &retroCLI{a: a}
	cmd := &cobra.Command{
		Use:   "retro [-i ID] section|perspective|why|factor|action|status ...",
		Short: "Write the retrospective from a script: sections, perspectives, whys, factors, actions, status",
		Long: `Write the retrospective without the screen. Each command is one change, recorded with its
author (the config's author, as warroom log) like a change made on the retro screen, and
synced and merged like one. Each prints what it did, and on its LAST line the item it
touched: the uid of a why, factor or action (the uid show --json lists), the section's
title for section and perspective, the status for status. So a script can keep it:

  uid=$(warroom retro action add "Alert on queue depth" --owner dana | tail -1)
  warroom retro action done "$uid"

With no -i: the only open incident, else the most recently resolved one.
Times without a zone (--due) are read in the configured timezone.`,
		Example: `  warroom retro section Introduction --text "Checkout failed for 12% of customers."
  warroom retro -i INC-7 section "What went well" --file notes.md
  warroom retro perspective Introduction --file - < my-view.md
  warroom retro why add --why "Why did checkout fail?" --because "The cache expired." --root
  warroom retro factor add "No alert on queue depth" --evidence '#12' --evidence 14
  warroom retro action add "Alert on queue depth" --long-term --owner dana --due +2w
  warroom retro status final`,
		Args: unknownSubcommand("section, perspective, why, factor, action or status"),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVarP(&rc.id, "incident", "i", "", "incident id (INC-7, inc-7 or 7); default: the only open incident, else the latest resolved")
	cmd.AddCommand(rc.sectionCmd(), rc.perspectiveCmd(), rc.whyCmd(), rc.factorCmd(), rc.actionCmd(), rc.statusCmd())
	return cmd
}

// unknownSubcommand rejects an argument to a command that only groups
// others: cobra would print the help and exit 0, and a script's typo must
// fail.
func unknownSubcommand(choices string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return fmt.Errorf("%s has no command %q; use %s (see %s --help)", cmd.CommandPath(), args[0], choices, cmd.CommandPath())
		}
		return nil
	}
}

// group is a command that only holds subcommands (why, factor, action).
func group(use, short, choices string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  unknownSubcommand(choices),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(subs...)
	return cmd
}

// open opens the existing database and finds the incident: -i, else the
// only open one, else the most recently resolved one (a retro is written
// after the incident, as warroom review finds it).
func (rc *retroCLI) open() (*store.Store, int64, error) {
	st, err := rc.a.openExisting()
	if err != nil {
		return nil, 0, err
	}
	id, err := st.ResolveID(rc.id)
	if err == nil || strings.TrimSpace(rc.id) != "" || !errors.Is(err, store.ErrNotFound) {
		return st, id, err
	}
	list, lerr := st.ListIncidents()
	if lerr != nil {
		return nil, 0, lerr
	}
	for _, s := range list {
		if !s.Open() {
			return st, s.ID, nil
		}
	}
	return nil, 0, errors.New("there is no incident to write a retro for; declare one with warroom new TITLE")
}

// update changes the retro through fn in one transaction, as the retro
// screen does: the configured sections in place and every why, factor and
// action with a uid before and after fn, so fn can find items by uid and
// report the uid of one it added.
func (rc *retroCLI) update(st *store.Store, id int64, fn func(r *incident.Retro, author string, now time.Time) error) (incident.Retro, error) {
	sections, author, now := rc.a.cfg.Sections(), rc.a.cfg.Author, rc.a.now()
	return st.UpdateRetro(id, author, now, func(r *incident.Retro) error {
		incident.EnsureSections(r, sections)
		incident.FillActionUIDs(r, store.NewUID)
		if err := fn(r, author, now); err != nil {
			return err
		}
		incident.FillActionUIDs(r, store.NewUID)
		return nil
	})
}

// textFlags are --text and --file, one of which gives a text.
type textFlags struct {
	text, file string
}

func (tf *textFlags) add(cmd *cobra.Command, what string) {
	cmd.Flags().StringVar(&tf.text, "text", "", what+" as one argument")
	cmd.Flags().StringVar(&tf.file, "file", "", what+" from FILE (- for standard input)")
}

// read returns the text given by exactly one of --text and --file. A
// file's final newlines are dropped (as the retro screen drops them after
// $EDITOR) and its CRLF line ends read as LF.
func (tf *textFlags) read(cmd *cobra.Command) (string, error) {
	hasText, hasFile := cmd.Flags().Changed("text"), cmd.Flags().Changed("file")
	switch {
	case hasText && hasFile:
		return "", errors.New("give the text with --text or --file, not both")
	case hasText:
		if !utf8.ValidString(tf.text) {
			return "", errors.New("--text is not UTF-8 text")
		}
		if err := checkTextSize("--text", tf.text); err != nil {
			return "", err
		}
		return tf.text, nil
	case !hasFile:
		return "", errors.New("give the text with --text TEXT or --file FILE (- for standard input)")
	}
	var r io.Reader = os.Stdin
	name := "standard input"
	if tf.file != "-" {
		f, err := os.Open(tf.file)
		if err != nil {
			return "", fmt.Errorf("cannot read %s (%v); give a text file, or - for standard input", tf.file, unwrapPathErr(err))
		}
		defer f.Close()
		r, name = f, tf.file
	}
	// One byte over the limit is enough to say it is over.
	data, err := io.ReadAll(io.LimitReader(r, incident.MaxTextBytes+1))
	if err != nil {
		return "", fmt.Errorf("cannot read %s (%v)", name, unwrapPathErr(err))
	}
	if !utf8.Valid(data) {
		return "", fmt.Errorf("%s is not UTF-8 text", name)
	}
	text := strings.TrimRight(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if err := checkTextSize(name, text); err != nil {
		return "", err
	}
	return text, nil
}

// checkTextSize holds a typed text to what one retro text may hold.
func checkTextSize(what, text string) error {
	if len(text) > incident.MaxTextBytes {
		return fmt.Errorf("%s is over the %d KB a retro text holds; shorten it or link to a document", what, incident.MaxTextBytes>>10)
	}
	return nil
}

// textArg joins a command's arguments into one line of text, as warroom
// log does, so quoting is optional.
func textArg(args []string) string {
	return strings.TrimSpace(strings.Join(args, " "))
}

func (rc *retroCLI) sectionCmd() *cobra.Command {
	var tf textFlags
	cmd := &cobra.Command{
		Use:   "section NAME (--text TEXT | --file FILE|-)",
		Short: "Replace a section's text (the synthesis anyone may edit)",
		Long: `Replace the text of the retro section NAME (matched without regard to case; a name that
is not a section yet adds it). The edit carries the text it replaced, so a teammate's
change made meanwhile is merged line by line, never overwritten; where both changed the
same lines both versions are kept, marked. An empty text empties the section.
The last line printed is the section's title.`,
		Example: `  warroom retro section Introduction --text "Checkout failed for 12% of customers for 40 minutes."
  warroom retro section "What went well" --file - < well.md`,
		Args: exactlyOneArg("section name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			title := strings.TrimSpace(incident.CleanLine(args[0]))
			if err := checkSectionName(title); err != nil {
				return err
			}
			text, err := tf.read(cmd)
			if err != nil {
				return err
			}
			st, id, err := rc.open()
			if err != nil {
				return err
			}
			inc, err := st.Incident(id)
			if err != nil {
				return err
			}
			// The edit is based on the text read here: a teammate's write
			// landing before ours is merged with it in the store.
			base := store.Edit{Text: text}
			key := incident.FormatID(id)
			title, known := rc.knownSection(inc.Retro, title)
			if s := inc.Retro.Section(title); s != nil {
				base.Base, base.BaseRev = s.Text, s.Rev
			}
			if !known && strings.TrimSpace(text) == "" {
				return fmt.Errorf("%s has no section %q and the text is empty, so there is nothing to add; give the section's text", key, title)
			}
			m, r, err := st.SetSectionText(id, title, base, rc.a.cfg.Author, rc.a.now(), rc.a.cfg.Sections())
			if err != nil {
				return err
			}
			if s := r.Section(title); s != nil {
				title = s.Title
			}
			switch {
			case m.Conflict:
				printf(rc.a.stdout, "%s: %s saved; %s changed these lines too — both kept, marked\n", key, title, orSomeone(m.By))
			case m.Merged:
				printf(rc.a.stdout, "%s: %s saved, merged with %s's edit made meanwhile\n", key, title, orSomeone(m.By))
			case m.Text == base.Base && known:
				printf(rc.a.stdout, "%s: %s unchanged; it already reads so\n", key, title)
			default:
				printf(rc.a.stdout, "%s: %s saved\n", key, title)
			}
			printLine(rc.a.stdout, title)
			return nil
		},
	}
	tf.add(cmd, "the section's text")
	return cmd
}

// checkSectionName holds a section's name to what the retro screen lists:
// not empty, and no longer than an incident's title.
func checkSectionName(title string) error {
	if title == "" {
		return errors.New("the section name is empty; give a section's title, e.g. Introduction")
	}
	if n := utf8.RuneCountInString(title); n > incident.MaxTitleRunes {
		return fmt.Errorf("the section name is %d characters long, over the limit of %d; use a short title", n, incident.MaxTitleRunes)
	}
	return nil
}

// knownSection finds a section by the name typed, as the retro screen
// lists them: the incident's sections, then the configured ones not yet
// in it. It returns the title as spelled there and whether it is one; an
// unknown name comes back as typed.
func (rc *retroCLI) knownSection(r incident.Retro, title string) (string, bool) {
	if s := r.Section(title); s != nil {
		return s.Title, true
	}
	for _, t := range rc.a.cfg.Sections() {
		if strings.EqualFold(strings.TrimSpace(t), title) {
			return strings.TrimSpace(t), true
		}
	}
	return title, false
}

// orSomeone names who made a change, or says someone when no name is known.
func orSomeone(name string) string {
	if strings.TrimSpace(name) == "" {
		return "someone else"
	}
	return name
}

func (rc *retroCLI) perspectiveCmd() *cobra.Command {
	var tf textFlags
	cmd := &cobra.Command{
		Use:   "perspective NAME (--text TEXT | --file FILE|-)",
		Short: "Write your own perspective in a section",
		Long: `Write your own perspective in the retro section NAME (added if it is not one yet): the
view of the config's author, which nobody else writes, so two people writing at once never
overwrite each other. An empty text removes your perspective.
The last line printed is the section's title.`,
		Example: `  warroom retro perspective Introduction --text "From the comms side, the first update went out late."
  warroom retro perspective Timeline --file - < my-notes.md`,
		Args: exactlyOneArg("section name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			title := strings.TrimSpace(incident.CleanLine(args[0]))
			if err := checkSectionName(title); err != nil {
				return err
			}
			text, err := tf.read(cmd)
			if err != nil {
				return err
			}
			st, id, err := rc.open()
			if err != nil {
				return err
			}
			author := rc.a.cfg.Author
			inc, err := st.Incident(id)
			if err != nil {
				return err
			}
			before := inc.Retro.PerspectiveOf(title, author)
			title, known := rc.knownSection(inc.Retro, title)
			if !known && strings.TrimSpace(text) == "" {
				key := incident.FormatID(id)
				return fmt.Errorf("%s has no section %q and the text is empty, so there is nothing to add; give your perspective's text", key, title)
			}
			r, err := st.SetPerspective(id, title, author, text, rc.a.now(), rc.a.cfg.Sections())
			if err != nil {
				return err
			}
			if s := r.Section(title); s != nil {
				title = s.Title
			}
			key := incident.FormatID(id)
			switch {
			case before == text || (strings.TrimSpace(before) == "" && strings.TrimSpace(text) == ""):
				printf(rc.a.stdout, "%s: %s's perspective in %s unchanged\n", key, author, title)
			case strings.TrimSpace(text) == "":
				printf(rc.a.stdout, "%s: %s's perspective in %s removed\n", key, author, title)
			default:
				printf(rc.a.stdout, "%s: %s's perspective in %s saved\n", key, author, title)
			}
			printLine(rc.a.stdout, title)
			return nil
		},
	}
	tf.add(cmd, "your perspective")
	return cmd
}

func (rc *retroCLI) whyCmd() *cobra.Command {
	return group("why add|edit ...", "Add or change a step of the five whys", "add or edit", rc.whyAddCmd(), rc.whyEditCmd())
}

// checkWhy holds a why's question and answer to a retro text's size.
func checkWhy(why, because string) error {
	if err := checkTextSize("--why", why); err != nil {
		return err
	}
	return checkTextSize("--because", because)
}

func (rc *retroCLI) whyAddCmd() *cobra.Command {
	var why, because string
	var root bool
	cmd := &cobra.Command{
		Use:   "add --why TEXT --because TEXT [--root]",
		Short: "Add a step to the five-whys chain; prints its uid last",
		Long: `Add a step to the end of the five-whys chain. With only --because, the question is the one
the retro screen suggests from the last answer. --root marks it as the root cause (the
chain has one; any other mark is cleared). The last line printed is the step's uid.`,
		Example: `  warroom retro why add --why "Why did checkout fail?" --because "The payment cache expired."
  warroom retro why add --because "Nobody owned the cache's TTL." --root`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkWhy(why, because); err != nil {
				return err
			}
			st, id, err := rc.open()
			if err != nil {
				return err
			}
			var added incident.Why
			n := 0
			_, err = rc.update(st, id, func(r *incident.Retro, author string, now time.Time) error {
				w := strings.TrimSpace(why)
				if w == "" && strings.TrimSpace(because) != "" {
					w = incident.NextWhyQuestion(r)
				}
				i, err := incident.AddWhy(r, w, because, author, now)
				if err != nil {
					return err
				}
				if root {
					if _, err := incident.MarkRootCause(r, i, author, now); err != nil {
						return err
					}
				}
				incident.FillActionUIDs(r, store.NewUID)
				added, n = r.Whys[i], i+1
				return nil
			})
			if err != nil {
				return err
			}
			mark := ""
			if added.RootCause {
				mark = ", the root cause"
			}
			printf(rc.a.stdout, "%s: why %d added%s: %s → %s\n", incident.FormatID(id), n, mark, added.Why, orDash(added.Because))
			printLine(rc.a.stdout, added.UID)
			return nil
		},
	}
	cmd.Flags().StringVar(&why, "why", "", "the question: why did the last thing happen?")
	cmd.Flags().StringVar(&because, "because", "", "the answer")
	cmd.Flags().BoolVar(&root, "root", false, "mark this step as the root cause")
	return cmd
}

// noItem is the error for a uid that names no item of its kind.
func noItem(kind, uid string, id int64) error {
	key := incident.FormatID(id)
	return fmt.Errorf("no %s with uid %s in %s; warroom show %s --json lists them", kind, incident.CleanLine(uid), key, key)
}

func (rc *retroCLI) whyEditCmd() *cobra.Command {
	var why, because string
	var root, notRoot bool
	cmd := &cobra.Command{
		Use:   "edit UID [--why TEXT] [--because TEXT] [--root|--not-root]",
		Short: "Change a step of the five whys by its uid",
		Long: `Change the step UID of the five-whys chain (the uid why add printed, or show --json lists):
only the fields given change. --root makes it the root cause (clearing any other mark),
--not-root removes its mark. The last line printed is the step's uid.`,
		Example: `  warroom retro why edit 01JD8Q2M3Y --because "The cache's TTL was set to one hour."
  warroom retro why edit 01JD8Q2M3Y --root`,
		Args: exactlyOneArg("why uid"),
		RunE: func(cmd *cobra.Command, args []string) error {
			uid := strings.TrimSpace(args[0])
			setWhy, setBecause := cmd.Flags().Changed("why"), cmd.Flags().Changed("because")
			switch {
			case root && notRoot:
				return errors.New("--root and --not-root contradict each other; give one of them")
			case !setWhy && !setBecause && !root && !notRoot:
				return errors.New("nothing to change; give --why TEXT, --because TEXT, --root or --not-root")
			}
			if err := checkWhy(why, because); err != nil {
				return err
			}
			st, id, err := rc.open()
			if err != nil {
				return err
			}
			var after incident.Why
			n := 0
			note := ""
			changed := false
			_, err = rc.update(st, id, func(r *incident.Retro, author string, now time.Time) error {
				i := slices.IndexFunc(r.Whys, func(w incident.Why) bool { return w.UID == uid })
				if uid == "" || i < 0 {
					return noItem("why", uid, id)
				}
				base := r.Whys[i]
				w, b := base.Why, base.Because
				if setWhy {
					w = why
				}
				if setBecause {
					b = because
				}
				if setWhy || setBecause {
					var err error
					if note, err = incident.EditWhyFrom(r, i, base, w, b, author, now); err != nil {
						return err
					}
				}
				if i = slices.IndexFunc(r.Whys, func(w incident.Why) bool { return w.UID == uid }); i < 0 {
					return noItem("why", uid, id)
				}
				if (root && !r.Whys[i].RootCause) || (notRoot && r.Whys[i].RootCause) {
					if _, err := incident.MarkRootCause(r, i, author, now); err != nil {
						return err
					}
				}
				after, n = r.Whys[i], i+1
				changed = after.Why != base.Why || after.Because != base.Because || after.RootCause != base.RootCause
				return nil
			})
			if err != nil {
				return err
			}
			key := incident.FormatID(id)
			switch {
			case !changed:
				printf(rc.a.stdout, "%s: why %d unchanged; it already reads so\n", key, n)
			case after.RootCause:
				printf(rc.a.stdout, "%s: why %d changed, the root cause: %s → %s\n", key, n, after.Why, orDash(after.Because))
			default:
				printf(rc.a.stdout, "%s: why %d changed: %s → %s\n", key, n, after.Why, orDash(after.Because))
			}
			if note != "" {
				printf(rc.a.stdout, "%s: %s\n", key, note)
			}
			printLine(rc.a.stdout, after.UID)
			return nil
		},
	}
	cmd.Flags().StringVar(&why, "why", "", "the new question")
	cmd.Flags().StringVar(&because, "because", "", "the new answer")
	cmd.Flags().BoolVar(&root, "root", false, "mark this step as the root cause")
	cmd.Flags().BoolVar(&notRoot, "not-root", false, "remove this step's root-cause mark")
	return cmd
}

func (rc *retroCLI) factorCmd() *cobra.Command {
	return group("factor add ...", "Add a contributing factor beside the five whys", "add", rc.factorAddCmd())
}

func (rc *retroCLI) factorAddCmd() *cobra.Command {
	var evidence []string
	var lucky bool
	cmd := &cobra.Command{
		Use:   "add TEXT [--evidence ENTRY]... [--lucky]",
		Short: "Add a contributing factor, linked to the timeline entries that show it; prints its uid last",
		Long: `Add a contributing factor: a short cause (one line, at most 300 characters) beside the
five-whys chain. Each --evidence ENTRY (#N or N, as warroom log prints it) links a timeline
entry that shows it; the link is kept by the entry's uid, so it holds in every copy of the
incident. --lucky marks a place where the team got lucky. The last line printed is the
factor's uid. In a shell, quote #N ('#12').`,
		Example: `  warroom retro factor add "No alert on queue depth" --evidence '#12' --evidence 14
  warroom retro factor add "The on-call engineer happened to be awake" --lucky`,
		RunE: func(cmd *cobra.Command, args []string) error {
			cause := textArg(args)
			if cause == "" {
				return errors.New("the factor is empty; name a condition that helped the incident happen, e.g. warroom retro factor add \"No alert on queue depth\"")
			}
			var nums []int64
			for _, ev := range evidence {
				n, err := parseEntryID(ev)
				if err != nil {
					return fmt.Errorf("--evidence: %w", err)
				}
				nums = append(nums, n)
			}
			st, id, err := rc.open()
			if err != nil {
				return err
			}
			key := incident.FormatID(id)
			var uids []string
			if len(nums) > 0 {
				inc, err := st.Incident(id)
				if err != nil {
					return err
				}
				for _, n := range nums {
					i := slices.IndexFunc(inc.Entries, func(e incident.Entry) bool { return e.ID == n })
					if i < 0 {
						return fmt.Errorf("%s has no entry #%d; warroom show %s lists its entries", key, n, key)
					}
					if inc.Entries[i].Deleted {
						return fmt.Errorf("entry #%d of %s is deleted; restore it with warroom edit -i %s %d --restore, or link another entry", n, key, key, n)
					}
					uids = append(uids, inc.Entries[i].UID)
				}
			}
			var added incident.Factor
			n := 0
			_, err = rc.update(st, id, func(r *incident.Retro, author string, now time.Time) error {
				f, err := incident.AddFactor(r, cause, lucky, author, now, store.NewUID)
				if err != nil {
					return err
				}
				if len(uids) > 0 {
					if err := incident.SetEvidence(r, f.UID, nil, uids, author, now); err != nil {
						return err
					}
				}
				added, n = *r.Factor(f.UID), len(r.Factors)
				return nil
			})
			if err != nil {
				return err
			}
			what := "factor"
			if added.Lucky {
				what = "factor (where we got lucky)"
			}
			links := ""
			if len(nums) > 0 {
				var refs []string
				for _, n := range nums {
					if ref := fmt.Sprintf("#%d", n); !slices.Contains(refs, ref) {
						refs = append(refs, ref)
					}
				}
				links = ", linked to " + strings.Join(refs, ", ")
			}
			printf(rc.a.stdout, "%s: %s %d added%s: %s\n", key, what, n, links, added.Cause)
			printLine(rc.a.stdout, added.UID)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&evidence, "evidence", nil, "a timeline entry (#N or N) that shows the factor; repeat for more")
	cmd.Flags().BoolVar(&lucky, "lucky", false, "mark it as a place where the team got lucky")
	return cmd
}

func (rc *retroCLI) actionCmd() *cobra.Command {
	return group("action add|edit|done|undone ...", "Add, change or close an action item", "add, edit, done or undone",
		rc.actionAddCmd(), rc.actionEditCmd(), rc.actionDoneCmd(true), rc.actionDoneCmd(false))
}

// actionFields are the flags add and edit share.
type actionFields struct {
	owner, due, link string
}

// clean makes the one-line fields one line, as the screen's form types
// them: control characters dropped, line breaks and tabs as spaces.
func (f *actionFields) clean() {
	f.owner, f.link = oneLine(f.owner), oneLine(f.link)
}

// oneLine is a typed value for a one-line field.
func oneLine(s string) string {
	return strings.TrimSpace(incident.CleanLine(s))
}

// checkOwner holds an owner's name to the limit of a person's name.
func checkOwner(owner string) error {
	return incident.CheckName("the owner's name", strings.TrimSpace(owner))
}

// describe says what an action is, for the line printed after a change.
func (rc *retroCLI) describe(act incident.Action) string {
	var parts []string
	parts = append(parts, string(act.Kind))
	if act.Owner != "" {
		parts = append(parts, "owner "+act.Owner)
	}
	if !act.Due.IsZero() {
		parts = append(parts, "due "+rc.a.stamp(act.Due))
	}
	if act.Link != "" {
		parts = append(parts, act.Link)
	}
	return act.Title + " (" + strings.Join(parts, ", ") + ")"
}

func (rc *retroCLI) actionAddCmd() *cobra.Command {
	var f actionFields
	var longTerm bool
	cmd := &cobra.Command{
		Use:   "add TITLE [--long-term] [--owner NAME] [--due DATE] [--link URL]",
		Short: "Add an action item; prints its uid last",
		Long: `Add an action item, immediate unless --long-term. --due takes YYYY-MM-DD (the end of that
day), "YYYY-MM-DD HH:MM", +3d, +2w, HH:MM or RFC 3339, read in the configured timezone.
The last line printed is the action's uid, for action edit and action done.`,
		Example: `  warroom retro action add "Alert on queue depth" --long-term --owner dana --due +2w
  uid=$(warroom retro action add "Raise the cache TTL" --owner li --due 2026-05-02 | tail -1)`,
		RunE: func(cmd *cobra.Command, args []string) error {
			title := oneLine(textArg(args))
			if title == "" {
				return errors.New("the action has no title; say what will be done, e.g. warroom retro action add \"Alert on queue depth\"")
			}
			f.clean()
			if err := checkTextSize("the title", title); err != nil {
				return err
			}
			if err := checkOwner(f.owner); err != nil {
				return err
			}
			due, err := incident.ParseDue(f.due, rc.a.now())
			if err != nil {
				return fmt.Errorf("--due: %w", err)
			}
			act := incident.Action{Title: title, Kind: incident.Immediate, Owner: f.owner, Due: due, Link: f.link}
			if longTerm {
				act.Kind = incident.LongTerm
			}
			st, id, err := rc.open()
			if err != nil {
				return err
			}
			_, err = rc.update(st, id, func(r *incident.Retro, author string, now time.Time) error {
				var err error
				act, err = incident.AddAction(r, act, author, now, store.NewUID)
				return err
			})
			if err != nil {
				return err
			}
			printf(rc.a.stdout, "%s: action added: %s\n", incident.FormatID(id), rc.describe(act))
			printLine(rc.a.stdout, act.UID)
			return nil
		},
	}
	cmd.Flags().BoolVar(&longTerm, "long-term", false, "a long-term action (default: immediate)")
	cmd.Flags().StringVar(&f.owner, "owner", "", "who will do it")
	cmd.Flags().StringVar(&f.due, "due", "", "when it is due: YYYY-MM-DD, +3d, +2w, HH:MM or RFC 3339")
	cmd.Flags().StringVar(&f.link, "link", "", "a link to the ticket or document")
	return cmd
}

func (rc *retroCLI) actionEditCmd() *cobra.Command {
	var f actionFields
	var title string
	var longTerm, immediate bool
	cmd := &cobra.Command{
		Use:   "edit UID [--title T] [--owner N] [--due D] [--long-term|--immediate] [--link URL]",
		Short: "Change an action item by its uid",
		Long: `Change the action UID (as action add printed it, or show --json lists it): only the fields
given change, and an empty value clears the owner, due date or link. The last line
printed is the action's uid.`,
		Example: `  warroom retro action edit 01JD8Q2M3Y --owner li --due +3d
  warroom retro action edit 01JD8Q2M3Y --long-term --link https://tickets.example.com/OPS-12`,
		Args: exactlyOneArg("action uid"),
		RunE: func(cmd *cobra.Command, args []string) error {
			uid := strings.TrimSpace(args[0])
			fl := cmd.Flags()
			switch {
			case longTerm && immediate:
				return errors.New("--long-term and --immediate contradict each other; give one of them")
			case !fl.Changed("title") && !fl.Changed("owner") && !fl.Changed("due") && !fl.Changed("link") && !longTerm && !immediate:
				return errors.New("nothing to change; give --title, --owner, --due, --link, --long-term or --immediate")
			case fl.Changed("title") && strings.TrimSpace(title) == "":
				return errors.New("--title is empty; say what will be done")
			}
			title = oneLine(title)
			f.clean()
			if err := checkTextSize("--title", title); err != nil {
				return err
			}
			if err := checkOwner(f.owner); err != nil {
				return err
			}
			due, err := incident.ParseDue(f.due, rc.a.now())
			if err != nil {
				return fmt.Errorf("--due: %w", err)
			}
			st, id, err := rc.open()
			if err != nil {
				return err
			}
			var after incident.Action
			note := ""
			changed := false
			_, err = rc.update(st, id, func(r *incident.Retro, author string, now time.Time) error {
				cur := r.Action(uid)
				if uid == "" || cur == nil {
					return noItem("action", uid, id)
				}
				base := *cur
				act := base
				if fl.Changed("title") {
					act.Title = title
				}
				if fl.Changed("owner") {
					act.Owner = f.owner
				}
				if fl.Changed("due") {
					act.Due = due
				}
				if fl.Changed("link") {
					act.Link = f.link
				}
				switch {
				case longTerm:
					act.Kind = incident.LongTerm
				case immediate:
					act.Kind = incident.Immediate
				}
				var err error
				if note, err = incident.EditActionFrom(r, uid, base, act, author, now, store.NewUID); err != nil {
					return err
				}
				after = *r.Action(uid)
				changed = after != base
				return nil
			})
			if err != nil {
				return err
			}
			key := incident.FormatID(id)
			if !changed {
				printf(rc.a.stdout, "%s: action unchanged; it already reads so: %s\n", key, rc.describe(after))
			} else {
				printf(rc.a.stdout, "%s: action changed: %s\n", key, rc.describe(after))
			}
			if note != "" {
				printf(rc.a.stdout, "%s: %s\n", key, note)
			}
			printLine(rc.a.stdout, after.UID)
			return nil
		},
	}
	cmd.Flags().StringVar(&title, "title", "", "the new title")
	cmd.Flags().StringVar(&f.owner, "owner", "", "who will do it (empty clears it)")
	cmd.Flags().StringVar(&f.due, "due", "", "when it is due: YYYY-MM-DD, +3d, +2w, HH:MM or RFC 3339 (empty clears it)")
	cmd.Flags().StringVar(&f.link, "link", "", "a link to the ticket or document (empty clears it)")
	cmd.Flags().BoolVar(&longTerm, "long-term", false, "make it a long-term action")
	cmd.Flags().BoolVar(&immediate, "immediate", false, "make it an immediate action")
	return cmd
}

// actionDoneCmd is action done (done) or action undone (!done).
func (rc *retroCLI) actionDoneCmd(done bool) *cobra.Command {
	use, short, state, now := "done UID", "Mark an action item done", "done", "done"
	if !done {
		use, short, state, now = "undone UID", "Open a done action item again", "open", "open again"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Long:  short + " by its uid (as action add printed it, or show --json lists it). The last line printed is the action's uid.",
		Args:  exactlyOneArg("action uid"),
		RunE: func(cmd *cobra.Command, args []string) error {
			uid := strings.TrimSpace(args[0])
			st, id, err := rc.open()
			if err != nil {
				return err
			}
			var act incident.Action
			already := false
			_, err = rc.update(st, id, func(r *incident.Retro, author string, now time.Time) error {
				cur := r.Action(uid)
				if uid == "" || cur == nil {
					return noItem("action", uid, id)
				}
				if already = cur.Done == done; !already {
					if _, err := incident.ToggleAction(r, uid, author, now); err != nil {
						return err
					}
				}
				act = *r.Action(uid)
				return nil
			})
			if err != nil {
				return err
			}
			key := incident.FormatID(id)
			if already {
				printf(rc.a.stdout, "%s: action already %s: %s\n", key, state, act.Title)
			} else {
				printf(rc.a.stdout, "%s: action %s: %s\n", key, now, act.Title)
			}
			printLine(rc.a.stdout, act.UID)
			return nil
		},
	}
}

func (rc *retroCLI) statusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status draft|final",
		Short: "Mark the retro final, or open it again as a draft",
		Long:  "Mark the retro final, or open it again as a draft. The last line printed is the status.",
		Example: `  warroom retro status final
  warroom retro -i INC-7 status draft`,
		Args: exactlyOneArg("status (draft or final)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			want, err := incident.ParseRetroStatus(args[0])
			if err != nil {
				return err
			}
			st, id, err := rc.open()
			if err != nil {
				return err
			}
			changed := false
			_, err = rc.update(st, id, func(r *incident.Retro, _ string, _ time.Time) error {
				var err error
				changed, err = incident.SetRetroStatus(r, want)
				return err
			})
			if err != nil {
				return err
			}
			key := incident.FormatID(id)
			if changed {
				printf(rc.a.stdout, "%s: the retro is now %s\n", key, want)
			} else {
				printf(rc.a.stdout, "%s: the retro is already %s\n", key, want)
			}
			printLine(rc.a.stdout, want)
			return nil
		},
	}
}
