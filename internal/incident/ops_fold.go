package incident

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// OpChange is a change record derived from one operation: the same on
// every copy, since it is computed by the fold, keyed by the operation.
type OpChange struct {
	Op     string // the operation's id
	Clock  uint64
	Change Change
	// Entry is the uid of the entry it is about, "" for the rest.
	Entry string
}

// EntryFold is one timeline entry as its operations make it, with the
// entries that tell of its deletions and restorations.
type EntryFold struct {
	Entry     Entry
	Exists    bool // an OpEntryAdd was seen
	Tellings  []Entry
	Changes   []OpChange
	Conflicts []Conflict
	Redacted  bool
}

// FoldEntry folds one entry's operations (in any order; they are sorted
// here). idOf gives the local number of an entry uid, which only the
// telling entries' text and references use.
func FoldEntry(ops []Op, idOf func(uid string) int64) EntryFold {
	ops = slices.Clone(ops)
	SortOps(ops)
	var f EntryFold
	e := &f.Entry
	for _, o := range ops {
		if o.Type == OpEntryRedact {
			f.Redacted = true
		}
	}
	for _, o := range ops {
		before := *e
		switch o.Type {
		case OpEntryAdd:
			if o.Entry == nil {
				continue
			}
			if !f.Exists {
				*e = *o.Entry
				e.Seq = o.Clock
				e.ID = idOf(e.UID)
				e.Deleted, e.EditedAt, e.EditedBy = false, time.Time{}, ""
				f.Exists = true
				continue
			}
			// The same entry brought twice with different content (copies
			// made before operations existed): keep both texts.
			if o.Entry.Text != e.Text {
				e.Text, _ = mergeEntryText("", o.Entry.Text, e.Text)
			}
			e.Starred = e.Starred || o.Entry.Starred
			continue
		case OpEntrySet:
			switch o.Field {
			case "text":
				base := ""
				if o.Base != nil {
					base = *o.Base
				}
				text, conflict := mergeEntryText(base, o.Value, e.Text)
				if conflict {
					f.Conflicts = append(f.Conflicts, Conflict{Target: fmt.Sprintf("entry #%d", e.ID), By: e.EditedBy, Other: o.Author, Op: o.ID})
				}
				e.Text = text
			case "at":
				if t, err := time.Parse(time.RFC3339Nano, o.Value); err == nil {
					e.At = t.UTC()
				}
			case "star":
				e.Starred = o.Value == "true"
			case "decl.title", "decl.war_room", "decl.public_channel":
				if e.Set.Declared == nil {
					e.Set.Declared = &Declaration{}
				} else {
					d := *e.Set.Declared
					e.Set.Declared = &d
				}
				d := e.Set.Declared
				p := map[string]*string{"decl.title": &d.Title, "decl.war_room": &d.WarRoom, "decl.public_channel": &d.PublicChannel}[o.Field]
				base := *p
				if o.Base != nil {
					base = *o.Base
				}
				*p, _ = MergeLine(base, o.Value, *p)
			default:
				continue
			}
		case OpEntryDelete, OpEntryRestore:
			del := o.Type == OpEntryDelete
			if e.Deleted == del || e.Set.Field == FieldDeclared {
				continue
			}
			e.Deleted = del
			verb, field := "Deleted", FieldDelete
			if !del {
				verb, field = "Restored", FieldRestore
			}
			f.Tellings = append(f.Tellings, Entry{
				ID: idOf(o.ID), UID: o.ID, Seq: o.Clock, At: o.At, RecordedAt: o.At, Author: o.Author, Kind: KindSystem,
				Text: tellingText(verb, *e, f.Redacted), Ref: e.ID, Set: Setting{Field: field},
			})
		case OpEntryRedact:
			e.Text = ""
			e.Redacted = true
			f.Changes = append(f.Changes, OpChange{Op: o.ID, Clock: o.Clock, Entry: e.UID, Change: Change{
				At: o.At, Author: o.Author, Target: fmt.Sprintf("entry #%d", e.ID), Before: "(text redacted)", After: "(text redacted)"}})
			e.EditedAt, e.EditedBy = o.At, o.Author
			continue
		default:
			continue
		}
		e.EditedAt, e.EditedBy = o.At, o.Author
		if !f.Exists {
			continue
		}
		c := Change{At: o.At, Author: o.Author, Target: fmt.Sprintf("entry #%d", e.ID)}
		if f.Redacted {
			c.Before, c.After = "(text redacted)", "(text redacted)"
		} else {
			c.Before, c.After = DescribeEntry(before), DescribeEntry(*e)
			if o.Type == OpEntryDelete {
				c.After = ""
			}
			if o.Type == OpEntryRestore {
				c.Before = ""
			}
		}
		if o.Type == OpEntrySet && strings.HasPrefix(o.Field, "decl.") {
			c.Target = "declaration"
			c.Before = describeDecl(before.Set.Declared)
			c.After = describeDecl(e.Set.Declared)
		}
		// One edit of several fields (text and star at once) is one
		// change: its operations share the time and the author.
		if n := len(f.Changes); n > 0 && o.Type == OpEntrySet && c.Target != "declaration" {
			last := &f.Changes[n-1]
			if last.Change.At.Equal(c.At) && last.Change.Author == c.Author && last.Change.Target == c.Target && last.Entry == e.UID {
				last.Change.After = c.After
				continue
			}
		}
		f.Changes = append(f.Changes, OpChange{Op: o.ID, Clock: o.Clock, Entry: e.UID, Change: c})
	}
	return f
}

func describeDecl(d *Declaration) string {
	if d == nil {
		return ""
	}
	return fmt.Sprintf("%q war room %q public %q", d.Title, d.WarRoom, d.PublicChannel)
}

func tellingText(verb string, e Entry, redacted bool) string {
	s := fmt.Sprintf("%s entry #%d from %s", verb, e.ID, e.At.UTC().Format("15:04"))
	if redacted || e.Text == "" {
		return s
	}
	return s + ": " + e.Text
}

// mergeEntryText merges an entry's text: one line stays one line.
func mergeEntryText(base, next, cur string) (string, bool) {
	if !strings.Contains(base+next+cur, "\n") {
		return MergeLine(base, next, cur)
	}
	return MergeText(base, next, cur)
}

// DescribeEntry is an entry as a change record shows it.
func DescribeEntry(e Entry) string {
	s := e.At.UTC().Format(time.RFC3339) + " " + e.Text
	if e.Starred {
		s = "★ " + s
	}
	if e.Deleted {
		s = "(deleted) " + s
	}
	return s
}

// RecordFold is what the operations outside the timeline make: the draft,
// the public updates and the retro.
type RecordFold struct {
	UID       string
	Created   time.Time
	Draft     string
	DraftRev  int64
	DraftBy   string
	Updates   []Update
	Retro     Retro
	Changes   []OpChange
	Conflicts []Conflict
}

// retroItem is one why, factor, action or review comment in the fold, with
// whether it is deleted (kept, so that a late edit can bring it back).
type retroItem struct {
	kind    string
	uid     string
	deleted bool
	// ops are the ids of the operations that made and changed the item;
	// delSeen those its deletion had seen.
	ops     []string
	delSeen map[string]bool
	why     Why
	factor  Factor
	action  Action
	comment ReviewComment
}

// FoldRecord folds the operations of the "r" stream (any order).
func FoldRecord(ops []Op) RecordFold {
	ops = slices.Clone(ops)
	SortOps(ops)
	var f RecordFold
	r := &f.Retro
	var items []*retroItem
	find := func(kind, uid string) *retroItem {
		for _, it := range items {
			if it.kind == kind && it.uid == uid {
				return it
			}
		}
		return nil
	}
	change := func(o Op, target, before, after string) {
		f.Changes = append(f.Changes, OpChange{Op: o.ID, Clock: o.Clock, Change: Change{At: o.At, Author: o.Author, Target: target, Before: before, After: after}})
	}
	for _, o := range ops {
		switch o.Type {
		case OpCreate:
			var body OpCreateBody
			if json.Unmarshal([]byte(o.Value), &body) != nil {
				continue
			}
			if f.UID == "" {
				f.UID, f.Created = body.UID, body.Created
			}
			EnsureSections(r, append(sectionTitles(r), body.Sections...))
		case OpDraft:
			base := f.Draft
			if o.Base != nil {
				base = *o.Base
			}
			text, conflict := MergeText(base, o.Value, f.Draft)
			if conflict {
				f.Conflicts = append(f.Conflicts, Conflict{Target: "draft", By: f.DraftBy, Other: o.Author, Op: o.ID})
			}
			if text == f.Draft {
				continue
			}
			change(o, "draft", f.Draft, text)
			f.Draft, f.DraftBy = text, o.Author
			f.DraftRev++
		case OpPublish:
			if o.Update == nil || slices.ContainsFunc(f.Updates, func(u Update) bool { return u.UID == o.Update.UID }) {
				continue
			}
			u := *o.Update
			u.ID = int64(len(f.Updates) + 1)
			u.Seq = o.Clock
			u.At = u.At.UTC()
			f.Updates = append(f.Updates, u)
			// Publishing takes what its person saw out of the draft;
			// words typed into it meanwhile stay for the next update.
			seen := f.Draft
			if o.Base != nil {
				seen = *o.Base
			}
			text, _ := MergeText(seen, "", f.Draft)
			if text != f.Draft {
				change(o, "draft", f.Draft, text)
				f.Draft, f.DraftBy = text, o.Author
				f.DraftRev++
			}
		case OpDelivery:
			i := slices.IndexFunc(f.Updates, func(u Update) bool { return u.UID == o.Target })
			var d []Delivery
			if i < 0 || json.Unmarshal([]byte(o.Value), &d) != nil {
				continue
			}
			f.Updates[i].Delivery = d
		case OpSection:
			title := strings.TrimSpace(o.Target)
			i := r.SectionIndex(title)
			cur := ""
			if i >= 0 {
				cur = r.Sections[i].Text
			}
			base := cur
			if o.Base != nil {
				base = *o.Base
			}
			text, conflict := MergeText(base, o.Value, cur)
			if conflict {
				by := ""
				if i >= 0 {
					by = r.Sections[i].EditedBy
				}
				f.Conflicts = append(f.Conflicts, Conflict{Target: "retro section " + title, By: by, Other: o.Author, Op: o.ID})
			}
			if text == cur {
				continue
			}
			s := r.contribute(title, o.Author, o.At)
			s.Text, s.Rev, s.EditedBy = text, s.Rev+1, o.Author
			change(o, "retro section "+title, cur, text)
		case OpPerspective:
			before, err := SetPerspective(r, o.Target, o.Author, o.Value, o.At)
			if err == nil && before != o.Value {
				change(o, "perspective of "+o.Author+" in "+o.Target, before, o.Value)
			}
		case OpItemAdd:
			if have := find(o.Item, o.Target); have != nil {
				other := &retroItem{kind: o.Item, uid: o.Target}
				if have.deleted && !have.delSeen[o.ID] && other.decode(o.Value) {
					// Added again by someone whose form was open on it
					// when it was deleted: it is back, as they wrote it.
					other.ops = append(have.ops, o.ID)
					*have = *other
					r.contributeItem(o.Item, o.Author, o.At)
					change(o, itemLabel(o.Item), "", have.describe())
					continue
				}
				// One item brought twice with different content (copies
				// made before operations existed): keep both texts.
				if other.decode(o.Value) {
					for _, field := range ItemFields(o.Item) {
						if v := other.fieldValue(field); v != have.fieldValue(field) && v != "" {
							have.set(Op{Field: field, Base: Str(""), Value: v})
						}
					}
				}
				continue
			}
			it := &retroItem{kind: o.Item, uid: o.Target, ops: []string{o.ID}}
			if !it.decode(o.Value) {
				continue
			}
			items = append(items, it)
			if !legacyOp(o) {
				// A record from before operations credits people on
				// its sections itself (OpCredit).
				r.contributeItem(o.Item, o.Author, o.At)
			}
			change(o, itemLabel(o.Item), "", it.describe())
		case OpItemSet:
			it := find(o.Item, o.Target)
			if it == nil {
				continue
			}
			before := it.describe()
			conflict := it.set(o)
			it.ops = append(it.ops, o.ID)
			if it.deleted && !it.delSeen[o.ID] {
				// Edited by someone who had not seen it deleted, or by
				// one whose edit the deleter had not seen: the edit
				// brings it back rather than vanish.
				it.deleted = false
			}
			if conflict {
				f.Conflicts = append(f.Conflicts, Conflict{Target: itemLabel(o.Item), Other: o.Author, Op: o.ID})
			}
			if after := it.describe(); after != before {
				r.contributeItem(o.Item, o.Author, o.At)
				change(o, itemLabel(o.Item), before, after)
			}
			it.setEditedBy(o.Author)
		case OpItemDelete:
			it := find(o.Item, o.Target)
			if it == nil || it.deleted {
				continue
			}
			// A deletion removes what its person saw: an item changed by
			// an operation they had not seen stays.
			var seen []string
			if json.Unmarshal([]byte(o.Value), &seen) != nil {
				seen = it.ops // written before deletions said what they saw
			}
			it.delSeen = map[string]bool{}
			for _, id := range seen {
				it.delSeen[id] = true
			}
			if slices.ContainsFunc(it.ops, func(id string) bool { return !it.delSeen[id] }) {
				f.Conflicts = append(f.Conflicts, Conflict{Target: itemLabel(o.Item), By: o.Author, Op: o.ID})
				continue
			}
			it.deleted = true
			if r.DeletedBy == nil {
				r.DeletedBy = map[string]string{}
			}
			r.DeletedBy[o.Target] = o.Author
			r.contributeItem(o.Item, o.Author, o.At)
			change(o, itemLabel(o.Item), it.describe(), "")
		case OpItemMove:
			i := slices.IndexFunc(items, func(it *retroItem) bool { return it.kind == o.Item && it.uid == o.Target })
			if i < 0 {
				continue
			}
			it := items[i]
			items = slices.Delete(items, i, i+1)
			j := 0
			if o.Value != "" {
				k := slices.IndexFunc(items, func(x *retroItem) bool { return x.kind == o.Item && x.uid == o.Value })
				if k < 0 {
					items = slices.Insert(items, i, it)
					continue
				}
				j = k + 1
			} else if k := slices.IndexFunc(items, func(x *retroItem) bool { return x.kind == o.Item }); k >= 0 {
				j = k
			}
			items = slices.Insert(items, j, it)
			r.contributeItem(o.Item, o.Author, o.At)
		case OpRetroStatus:
			if st, err := ParseRetroStatus(o.Value); err == nil && st != r.Status {
				change(o, "retro status", string(r.Status), string(st))
				r.Status = st
			}
		case OpSections:
			var titles []string
			if json.Unmarshal([]byte(o.Value), &titles) == nil {
				EnsureSections(r, titles)
			}
		case OpCredit:
			if i := r.SectionIndex(o.Target); i >= 0 {
				r.Sections[i].Contributors = AddContributor(r.Sections[i].Contributors, o.Value)
			}
		case OpChangeRecord:
			var c Change
			if json.Unmarshal([]byte(o.Value), &c) == nil {
				c.At = c.At.UTC()
				f.Changes = append(f.Changes, OpChange{Op: o.ID, Clock: o.Clock, Change: c})
			}
		case OpRetroDue:
			t, _ := time.Parse(time.RFC3339Nano, o.Value)
			r.Due = t.UTC()
			if t.IsZero() {
				r.Due = time.Time{}
			}
		}
	}
	if r.Status == "" {
		r.Status = RetroDraft
	}
	r.Whys, r.Factors, r.Actions, r.Review = nil, nil, nil, nil
	for _, it := range items {
		if it.deleted {
			continue
		}
		switch it.kind {
		case ItemWhy:
			r.Whys = append(r.Whys, it.why)
		case ItemFactor:
			r.Factors = append(r.Factors, it.factor)
		case ItemAction:
			r.Actions = append(r.Actions, it.action)
		case ItemComment:
			r.Review = append(r.Review, it.comment)
		}
	}
	return f
}

func sectionTitles(r *Retro) []string {
	out := make([]string, len(r.Sections))
	for i, s := range r.Sections {
		out[i] = s.Title
	}
	return out
}

func itemLabel(kind string) string {
	switch kind {
	case ItemWhy:
		return "five whys"
	case ItemFactor:
		return "contributing factors"
	case ItemAction:
		return "actions"
	}
	return "review"
}

// contributeItem credits a change to an item on the section it belongs to,
// as the screens do (review comments credit none).
func (r *Retro) contributeItem(kind, author string, at time.Time) {
	switch kind {
	case ItemWhy, ItemFactor:
		r.contribute(SectionWhys, author, at)
	case ItemAction:
		r.contribute(SectionActions, author, at)
	}
}

func (it *retroItem) decode(v string) bool {
	var err error
	switch it.kind {
	case ItemWhy:
		err = json.Unmarshal([]byte(v), &it.why)
		it.why.UID = it.uid
	case ItemFactor:
		err = json.Unmarshal([]byte(v), &it.factor)
		it.factor.UID = it.uid
	case ItemAction:
		err = json.Unmarshal([]byte(v), &it.action)
		it.action.UID = it.uid
	case ItemComment:
		err = json.Unmarshal([]byte(v), &it.comment)
		it.comment.UID = it.uid
		it.comment.At = it.comment.At.UTC()
	default:
		return false
	}
	return err == nil
}

func (it *retroItem) describe() string {
	switch it.kind {
	case ItemWhy:
		return describeWhy(it.why)
	case ItemFactor:
		lucky := ""
		if it.factor.Lucky {
			lucky = " (lucky)"
		}
		return fmt.Sprintf("%s%s, %d linked entries", it.factor.Cause, lucky, len(it.factor.Evidence))
	case ItemAction:
		return describeAction(it.action)
	}
	return it.comment.Author + " on " + it.comment.Section + ": " + it.comment.Text
}

func describeWhy(w Why) string {
	root := ""
	if w.RootCause {
		root = " (root cause)"
	}
	return w.Why + " → " + w.Because + root
}

func describeAction(a Action) string {
	done := " "
	if a.Done {
		done = "x"
	}
	due := ""
	if !a.Due.IsZero() {
		due = " due " + a.Due.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("[%s] %s (%s, %s%s)", done, a.Title, a.Kind, a.Owner, due)
}

// ItemFields lists the fields of an item kind that OpItemSet can change.
func ItemFields(kind string) []string {
	switch kind {
	case ItemWhy:
		return []string{"why", "because", "root"}
	case ItemFactor:
		return []string{"cause", "lucky", "evidence"}
	case ItemAction:
		return []string{"title", "kind", "owner", "due", "done", "link", "addresses"}
	case ItemComment:
		return []string{"section", "text"}
	}
	return nil
}

// lineFields are the one-line texts people type, merged rather than
// replaced when two edit them at once.
var lineFields = map[string]bool{"why": true, "because": true, "cause": true, "title": true, "text": true, "owner": true}

// fieldRef returns a pointer to a text field of an item, or nil.
func (it *retroItem) fieldRef(field string) *string {
	switch it.kind {
	case ItemWhy:
		switch field {
		case "why":
			return &it.why.Why
		case "because":
			return &it.why.Because
		}
	case ItemFactor:
		if field == "cause" {
			return &it.factor.Cause
		}
	case ItemAction:
		switch field {
		case "title":
			return &it.action.Title
		case "owner":
			return &it.action.Owner
		case "link":
			return &it.action.Link
		case "addresses":
			return &it.action.Addresses
		case "kind":
			return (*string)(&it.action.Kind)
		}
	case ItemComment:
		switch field {
		case "section":
			return &it.comment.Section
		case "text":
			return &it.comment.Text
		}
	}
	return nil
}

// set applies one OpItemSet; it reports a kept-both merge.
func (it *retroItem) set(o Op) bool {
	if p := it.fieldRef(o.Field); p != nil {
		if !lineFields[o.Field] || o.Base == nil {
			*p = o.Value
			return false
		}
		var conflict bool
		*p, conflict = MergeLine(*o.Base, o.Value, *p)
		return conflict
	}
	b := o.Value == "true"
	switch {
	case it.kind == ItemWhy && o.Field == "root":
		it.why.RootCause = b
	case it.kind == ItemFactor && o.Field == "lucky":
		it.factor.Lucky = b
	case it.kind == ItemAction && o.Field == "done":
		it.action.Done = b
	case it.kind == ItemAction && o.Field == "due":
		t, _ := time.Parse(time.RFC3339Nano, o.Value)
		it.action.Due = t.UTC()
		if t.IsZero() {
			it.action.Due = time.Time{}
		}
	case it.kind == ItemFactor && o.Field == "evidence":
		// What the person linked or unlinked, applied to the links as
		// they are now: a teammate's links stay.
		var next, base []string
		_ = json.Unmarshal([]byte(o.Value), &next)
		if o.Base != nil {
			_ = json.Unmarshal([]byte(*o.Base), &base)
		}
		out := slices.DeleteFunc(slices.Clone(it.factor.Evidence), func(u string) bool {
			return slices.Contains(base, u) && !slices.Contains(next, u)
		})
		for _, u := range next {
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
		it.factor.Evidence = out
	}
	return false
}

// fieldValue is an item's field as OpItemSet carries it.
func (it *retroItem) fieldValue(field string) string {
	if p := it.fieldRef(field); p != nil {
		return *p
	}
	switch field {
	case "root":
		return strconv.FormatBool(it.why.RootCause)
	case "lucky":
		return strconv.FormatBool(it.factor.Lucky)
	case "done":
		return strconv.FormatBool(it.action.Done)
	case "due":
		if it.action.Due.IsZero() {
			return ""
		}
		return it.action.Due.UTC().Format(time.RFC3339Nano)
	case "evidence":
		b, _ := json.Marshal(it.factor.Evidence)
		return string(b)
	}
	return ""
}

// legacyOp reports an operation LegacyOps described from an old record.
func legacyOp(o Op) bool { return len(o.ID) == 32 && o.ID[0] == 'l' }

// setEditedBy records who last changed the item.
func (it *retroItem) setEditedBy(who string) {
	switch it.kind {
	case ItemWhy:
		it.why.EditedBy = who
	case ItemFactor:
		it.factor.EditedBy = who
	case ItemAction:
		it.action.EditedBy = who
	}
}
