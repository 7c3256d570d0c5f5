package incident

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Whys and actions are edited by several people at once. A form opened on
// a step or an action remembers it as it was (base); when it is saved, only
// the fields the person changed are applied, a field both changed is
// merged (Merge3 keeps both versions), and a step or action that moved or
// went away meanwhile is found again or kept as a new one. Nothing typed is
// dropped and nothing a teammate wrote is silently replaced; the returned
// note, when not empty, says what happened.

// mergeField is the value of one one-line field after a save from base to
// ours while the stored value became theirs: the fold's rule (MergeLine),
// so a form and a merged copy agree, and a field stays one line.
func mergeField(base, ours, theirs string) (string, bool) {
	return MergeLine(base, ours, theirs)
}

// EditWhyFrom saves an edit of a five-whys step that was base when the form
// opened and was at position i then.
func EditWhyFrom(r *Retro, i int, base Why, why, because, author string, now time.Time) (string, error) {
	why, because = strings.TrimSpace(why), strings.TrimSpace(because)
	if why == "" && because == "" {
		return "", fmt.Errorf("the why is empty; to remove it, delete it instead")
	}
	j := -1
	if i >= 0 && i < len(r.Whys) && r.Whys[i].Why == base.Why && r.Whys[i].Because == base.Because {
		j = i
	} else if base.UID != "" {
		j = slices.IndexFunc(r.Whys, func(w Why) bool { return w.UID == base.UID })
	} else {
		j = slices.IndexFunc(r.Whys, func(w Why) bool { return w.Why == base.Why && w.Because == base.Because })
	}
	if j < 0 {
		// Deleted meanwhile: keep what was typed as a step of its own.
		r.Whys = append(r.Whys, Why{UID: base.UID, Why: why, Because: because, Author: author})
		r.contribute(SectionWhys, author, now)
		return "That why was deleted by " + r.deleter(base.UID, author) + " meanwhile; yours is kept as the last step", nil
	}
	w := &r.Whys[j]
	nw, c1 := mergeField(base.Why, why, w.Why)
	nb, c2 := mergeField(base.Because, because, w.Because)
	note := ""
	if c1 || c2 {
		note = fmt.Sprintf("Why %d was changed by %s meanwhile; both versions are kept", j+1, orSomeoneElse(w.EditedBy, author))
	}
	if w.Why == nw && w.Because == nb {
		return note, nil
	}
	w.Why, w.Because = nw, nb
	r.contribute(SectionWhys, author, now)
	return note, nil
}

// EditActionFrom saves an edit of the action uid that was base when the
// form opened: only the fields changed in the form are applied; a title both
// changed keeps both wordings; an action deleted meanwhile is added again.
func EditActionFrom(r *Retro, uid string, base, a Action, author string, now time.Time, newUID func() string) (string, error) {
	if err := checkAction(&a); err != nil {
		return "", err
	}
	i, err := r.actionIndex(uid)
	if err != nil {
		a.UID = ""
		if _, err := AddAction(r, a, author, now, newUID); err != nil {
			return "", err
		}
		return "That action was deleted by " + r.deleter(uid, author) + " meanwhile; yours is added again", nil
	}
	old := &r.Actions[i]
	before := *old
	var notes []string
	title, c := mergeField(base.Title, a.Title, old.Title)
	if c {
		notes = append(notes, "title")
	}
	old.Title = title
	str := func(field string, b, ours string, cur *string) {
		if ours != b {
			if *cur != b && *cur != ours {
				notes = append(notes, field)
			}
			*cur = ours
		}
	}
	kind := string(old.Kind)
	str("kind", string(base.Kind), string(a.Kind), &kind)
	old.Kind = ActionKind(kind)
	str("owner", base.Owner, a.Owner, &old.Owner)
	str("link", base.Link, a.Link, &old.Link)
	str("addressed factor or why", base.Addresses, a.Addresses, &old.Addresses)
	if !a.Due.Equal(base.Due) {
		if !old.Due.Equal(base.Due) && !old.Due.Equal(a.Due) {
			notes = append(notes, "due date")
		}
		old.Due = a.Due
	}
	if *old == before {
		return "", nil
	}
	r.contribute(SectionActions, author, now)
	if len(notes) > 0 {
		return capitalize(orSomeoneElse(before.EditedBy, author)) + " changed this action's " + joinAnd(notes) + " meanwhile; your " + plural(len(notes), "change", "changes") + " applied, titles both kept", nil
	}
	return "", nil
}

// orSomeoneElse names who changed something meanwhile: by name when the
// record knows it and it is not the person saving now.
func orSomeoneElse(who, me string) string {
	if who == "" || who == me {
		return "someone else"
	}
	return who
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
