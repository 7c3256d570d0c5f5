package incident

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// Limits of the one-line fields. They are generous for anything a person
// types and keep a stray paste (or a hand-made import) from turning a title
// bar, a table cell or every timeline line into a wall of text. Lengths are
// counted in characters (runes), as a person sees them.
const (
	MaxTitleRunes = 200 // an incident's title
	MaxNameRunes  = 80  // a person (a role holder, an author, an owner) or a role's name
	MaxTagRunes   = 40  // one tag

	// maxRecordedTextBytes bounds the entries warroom writes itself
	// (status changes, declarations, deletion records...), which quote
	// typed text with a few words around it; MaxTextBytes bounds the rest.
	maxRecordedTextBytes = 4 * MaxTextBytes
	// A delivery's target is "clipboard" or a webhook URL, and its error a
	// short description (internal/notify cuts response bodies short).
	maxTargetBytes        = 2048
	maxDeliveryErrorBytes = 4096
	maxDeliveryAttempts   = 1000
)

// CheckTitle reports a title over MaxTitleRunes.
func CheckTitle(title string) error {
	if n := utf8.RuneCountInString(title); n > MaxTitleRunes {
		return fmt.Errorf("the title is %d characters long, over the limit of %d; shorten it and put the details in the timeline", n, MaxTitleRunes)
	}
	return nil
}

// CheckName reports a name over MaxNameRunes; what says whose name it is,
// as a sentence starts ("the name of the resolution lead").
func CheckName(what, name string) error {
	if n := utf8.RuneCountInString(name); n > MaxNameRunes {
		return fmt.Errorf("%s is %d characters long, over the limit of %d; use a shorter name", what, n, MaxNameRunes)
	}
	return nil
}

// CheckTag reports a tag over MaxTagRunes.
func CheckTag(tag string) error {
	if n := utf8.RuneCountInString(tag); n > MaxTagRunes {
		return fmt.Errorf("the tag is %d characters long, over the limit of %d; use one short word such as database", n, MaxTagRunes)
	}
	return nil
}

// checkText reports a text over max bytes; what names it.
func checkText(what, text string, max int) error {
	if len(text) > max {
		return fmt.Errorf("%s is %d KB, over the %d KB limit; shorten it or attach a link", what, (len(text)+1023)>>10, max>>10)
	}
	return nil
}

// roleHolder names the holder of a role for an error message.
func roleHolder(role string) string { return "the name of the " + role }

// CheckRoles reports a role name or a role holder over MaxNameRunes.
func CheckRoles(roles map[string]string) error {
	names := make([]string, 0, len(roles))
	for r := range roles {
		names = append(names, r)
	}
	slices.Sort(names)
	for _, r := range names {
		if err := CheckName("a role's name", r); err != nil {
			return err
		}
		if err := CheckName(roleHolder(r), roles[r]); err != nil {
			return err
		}
	}
	return nil
}

// CheckDeclaration checks the fields an incident is declared with (title,
// roles, tags) against the limits of typing them.
func CheckDeclaration(inc *Incident) error {
	if err := CheckTitle(inc.Title); err != nil {
		return err
	}
	if err := CheckRoles(inc.Roles); err != nil {
		return err
	}
	for _, t := range inc.Tags {
		if err := CheckTag(t); err != nil {
			return err
		}
	}
	return nil
}

// CheckRecord holds a whole incident from elsewhere (an import) to the
// limits of typing it: the declaration, the names of every author and role,
// tags, the 64 KB limit of one entry (MaxTextBytes) and the draft, and it
// checks that every public update names a known status and every delivery a
// known state, a target and a sane attempt count. Entries are numbered as
// in the file, from 1.
func CheckRecord(inc *Incident) error {
	if err := CheckDeclaration(inc); err != nil {
		return err
	}
	if err := checkText("the public draft", inc.Draft, MaxTextBytes); err != nil {
		return err
	}
	if err := CheckName("the author of the draft", inc.DraftBy); err != nil {
		return err
	}
	for i, e := range inc.Entries {
		if err := checkEntry(fmt.Sprintf("timeline entry %d", i+1), e); err != nil {
			return err
		}
	}
	for i, u := range inc.Updates {
		if err := checkUpdate(fmt.Sprintf("public update %d", i+1), u); err != nil {
			return err
		}
	}
	for i, c := range inc.Changes {
		if err := CheckName(fmt.Sprintf("the author of change %d", i+1), c.Author); err != nil {
			return err
		}
	}
	return checkRetroNames(inc.Retro)
}

func checkEntry(where string, e Entry) error {
	if err := CheckName("the author of "+where, e.Author); err != nil {
		return err
	}
	if err := CheckName("the editor of "+where, e.EditedBy); err != nil {
		return err
	}
	limit := MaxTextBytes
	switch e.Kind {
	case KindNote, KindAction, KindDecision, KindQuestion, KindPublic:
	default:
		limit = maxRecordedTextBytes
	}
	if err := checkText("the text of "+where, e.Text, limit); err != nil {
		return err
	}
	s := e.Set
	switch s.Field {
	case FieldDeclared:
		if d := s.Declared; d != nil {
			if err := CheckDeclaration(&Incident{Title: d.Title, Roles: d.Roles, Tags: d.Tags}); err != nil {
				return fmt.Errorf("%s declares the incident, but %v", where, err)
			}
		}
	case FieldRole:
		if err := CheckName("the role "+where+" sets", s.Key); err != nil {
			return err
		}
		if err := CheckName("the person "+where+" names", s.Value); err != nil {
			return err
		}
	case FieldTag:
		if err := CheckTag(s.Value); err != nil {
			return fmt.Errorf("%s tags the incident, but %v", where, err)
		}
	}
	return nil
}

func checkUpdate(where string, u Update) error {
	if err := CheckName("the author of "+where, u.Author); err != nil {
		return err
	}
	if err := checkText("the text of "+where, u.Text, MaxTextBytes); err != nil {
		return err
	}
	if u.Status != "" && !slices.Contains(Statuses, u.Status) {
		return fmt.Errorf("%s has the status %q, which is not one of %s", where, u.Status, joinStatuses())
	}
	for j, d := range u.Delivery {
		dw := fmt.Sprintf("delivery %d of %s", j+1, where)
		switch d.State {
		case DeliveryPending, DeliveryCopied, DeliverySent, DeliveryFailed, DeliveryUnknown:
		default:
			return fmt.Errorf("%s has the state %q, which is not one of pending, copied, sent, failed, unknown", dw, d.State)
		}
		switch {
		case d.Target == "":
			return fmt.Errorf("%s names no target; it must be clipboard or a webhook URL", dw)
		case len(d.Target) > maxTargetBytes:
			return fmt.Errorf("%s has a target of %d bytes, over the limit of %d", dw, len(d.Target), maxTargetBytes)
		case len(d.Error) > maxDeliveryErrorBytes:
			return fmt.Errorf("%s has an error of %d bytes, over the limit of %d", dw, len(d.Error), maxDeliveryErrorBytes)
		case len(d.Owner) > maxTargetBytes:
			return fmt.Errorf("%s has an owner of %d bytes, over the limit of %d", dw, len(d.Owner), maxTargetBytes)
		case d.Attempts < 0 || d.Attempts > maxDeliveryAttempts:
			return fmt.Errorf("%s claims %d attempts; it must be 0 to %d", dw, d.Attempts, maxDeliveryAttempts)
		}
	}
	return nil
}

func checkRetroNames(r Retro) error {
	for i, s := range r.Sections {
		for _, c := range s.Contributors {
			if err := CheckName(fmt.Sprintf("a contributor to retro section %d", i+1), c); err != nil {
				return err
			}
		}
		if err := CheckName(fmt.Sprintf("the editor of retro section %d", i+1), s.EditedBy); err != nil {
			return err
		}
	}
	for i, w := range r.Whys {
		if err := CheckName(fmt.Sprintf("the author of why %d", i+1), w.Author); err != nil {
			return err
		}
	}
	for i, a := range r.Actions {
		if err := CheckName(fmt.Sprintf("the owner of action %d", i+1), a.Owner); err != nil {
			return err
		}
		if err := CheckName(fmt.Sprintf("the author of action %d", i+1), a.Author); err != nil {
			return err
		}
	}
	for i, f := range r.Factors {
		if _, err := checkCause(f.Cause); err != nil {
			return fmt.Errorf("contributing factor %d: %v", i+1, err)
		}
		if err := CheckName(fmt.Sprintf("the author of factor %d", i+1), f.Author); err != nil {
			return err
		}
	}
	for i, c := range r.Review {
		if err := CheckName(fmt.Sprintf("the author of review comment %d", i+1), c.Author); err != nil {
			return err
		}
		if err := checkText(fmt.Sprintf("review comment %d", i+1), c.Text, MaxTextBytes); err != nil {
			return err
		}
	}
	return nil
}
