package incident

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// LegacyOps describes an incident recorded before operations existed (an
// old database being migrated, an old export imported) as operations.
//
// Two laptops that held copies of one incident migrate on their own, so the
// operations must come out the same from the same content: each id is a
// hash of what the operation says, and each clock is the time the thing was
// recorded. Where the copies differ (one edited an entry the other did
// not), the ids differ, both operations are kept and the fold keeps both
// texts: nothing either copy held is lost.
func LegacyOps(in *Incident) []Op {
	// Anything without a uid gets one from its content, the same on every
	// laptop.
	c := *in
	inc := &c
	inc.Entries = slices.Clone(in.Entries)
	inc.Updates = slices.Clone(in.Updates)
	for i, e := range inc.Entries {
		if !ValidUID(e.UID) {
			inc.Entries[i].UID = legacyID(inc.UID, "entry", e.RecordedAt.UnixNano(), e.At.UnixNano(), e.Author, e.Text, e.ID)
		}
	}
	for i, u := range inc.Updates {
		if !ValidUID(u.UID) {
			inc.Updates[i].UID = legacyID(inc.UID, "update", u.At.UnixNano(), u.Author, u.Text)
		}
	}
	var ops []Op
	add := func(o Op, parts ...any) {
		o.ID = legacyID(append([]any{inc.UID, o.Type, o.Target, o.Field}, parts...)...)
		if o.Clock == 0 {
			o.Clock = 1
		}
		if o.At.IsZero() {
			o.At = inc.Created
		}
		ops = append(ops, o)
	}
	ms := func(t time.Time) uint64 {
		if t.IsZero() || t.UnixMilli() <= 0 {
			return 1
		}
		return uint64(t.UnixMilli())
	}
	var sections []string
	for _, s := range inc.Retro.Sections {
		sections = append(sections, s.Title)
	}
	create := CreateOp(inc.UID, inc.Created, sections)
	create.Clock = ms(inc.Created)
	add(create, create.Value)

	// Entries, with the deletions and restorations the timeline tells of.
	byID := map[int64]Entry{}
	for _, e := range inc.Entries {
		byID[e.ID] = e
	}
	told := map[string]bool{}
	// Clocks in the order recorded (ties in the order numbered), always
	// rising, so entries at one time keep their order.
	recorded := slices.Clone(inc.Entries)
	slices.SortStableFunc(recorded, func(a, b Entry) int {
		if c := a.RecordedAt.Compare(b.RecordedAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	var prev uint64
	for _, e := range recorded {
		if (e.Set.Field == FieldDelete || e.Set.Field == FieldRestore) && e.Ref != 0 {
			continue
		}
		body := e
		body.ID, body.Ref, body.Seq, body.Deleted, body.EditedAt, body.EditedBy = 0, 0, 0, false, time.Time{}, ""
		content, _ := json.Marshal(body)
		clock := max(ms(e.RecordedAt), prev+1)
		prev = clock
		add(Op{Type: OpEntryAdd, Entry: &body, Clock: clock, At: e.RecordedAt, Author: e.Author}, string(content))
	}
	tellings := slices.Clone(inc.Entries)
	SortEntries(tellings)
	state := map[string]bool{}
	for _, t := range tellings {
		if (t.Set.Field != FieldDelete && t.Set.Field != FieldRestore) || t.Ref == 0 {
			continue
		}
		target, ok := byID[t.Ref]
		if !ok || target.UID == "" {
			continue
		}
		typ := OpEntryDelete
		if t.Set.Field == FieldRestore {
			typ = OpEntryRestore
		}
		o := Op{Type: typ, Target: target.UID, Clock: ms(t.RecordedAt), At: t.RecordedAt, Author: t.Author}
		if ValidUID(t.UID) {
			o.ID = t.UID
			ops = append(ops, o)
		} else {
			add(o, t.RecordedAt)
		}
		told[target.UID] = true
		state[target.UID] = typ == OpEntryDelete
	}
	for _, e := range inc.Entries {
		if e.Deleted && !state[e.UID] && e.UID != "" {
			at := e.EditedAt
			if at.IsZero() {
				at = e.RecordedAt
			}
			add(Op{Type: OpEntryDelete, Target: e.UID, Clock: ms(at) + 1, At: at, Author: e.EditedBy}, "deleted")
		}
	}

	// Public updates, their delivery, and the draft.
	last := inc.Created
	for _, u := range inc.Updates {
		body := u
		body.ID, body.Delivery = 0, nil
		content, _ := json.Marshal(body)
		add(Op{Type: OpPublish, Update: &body, Clock: ms(u.At), At: u.At, Author: u.Author, Base: Str(u.Text)}, string(content))
		if len(u.Delivery) > 0 {
			d, _ := json.Marshal(u.Delivery)
			add(Op{Type: OpDelivery, Target: u.UID, Value: string(d), Clock: ms(u.At) + 1, At: u.At, Author: "warroom"}, string(d))
		}
		if u.At.After(last) {
			last = u.At
		}
	}
	if inc.Draft != "" {
		at := inc.Updated
		if at.Before(last) {
			at = last
		}
		add(Op{Type: OpDraft, Base: Str(""), Value: inc.Draft, Clock: ms(at) + 2, At: at, Author: inc.DraftBy}, inc.Draft)
	}

	// The retro: each section's text and perspectives, each item whole.
	r := inc.Retro
	for _, s := range r.Sections {
		if s.Text != "" {
			by := s.EditedBy
			if by == "" && len(s.Contributors) > 0 {
				by = s.Contributors[0]
			}
			add(Op{Type: OpSection, Target: s.Title, Base: Str(""), Value: s.Text, Clock: ms(s.Edited), At: s.Edited, Author: by}, s.Text)
		}
		for _, c := range s.Contributors {
			add(Op{Type: OpCredit, Target: s.Title, Value: c, Clock: ms(s.Edited), At: s.Edited, Author: c}, c)
		}
		for _, p := range s.Perspectives {
			add(Op{Type: OpPerspective, Target: s.Title, Value: p.Text, Clock: ms(p.Edited), At: p.Edited, Author: p.Author}, p.Text)
		}
	}
	FillRetroUIDs(&r, func() string { return "" })
	for _, kind := range []string{ItemWhy, ItemFactor, ItemAction, ItemComment} {
		for i, it := range itemsOf(r, kind) {
			uid := it.uid
			if !ValidUID(uid) {
				uid = legacyID(inc.UID, kind, i, it.encode())
			}
			at := inc.Created
			if kind == ItemComment {
				at = it.comment.At
			}
			v := it.encode()
			author := ""
			switch kind {
			case ItemWhy:
				author = it.why.Author
			case ItemFactor:
				author = it.factor.Author
			case ItemAction:
				author = it.action.Author
			default:
				author = it.comment.Author
			}
			// In chain order: the position is part of the clock.
			add(Op{Type: OpItemAdd, Item: kind, Target: uid, Value: v, Clock: ms(at) + uint64(i), At: at, Author: author}, v)
		}
	}
	if r.Status != "" && r.Status != RetroDraft {
		add(Op{Type: OpRetroStatus, Value: string(r.Status), Clock: ms(inc.Updated) + 3, At: inc.Updated}, r.Status)
	}
	if !r.Due.IsZero() {
		v := r.Due.UTC().Format(time.RFC3339Nano)
		add(Op{Type: OpRetroDue, Value: v, Clock: ms(inc.Updated) + 3, At: inc.Updated}, v)
	}
	for _, c := range inc.Changes {
		v, _ := json.Marshal(c)
		add(Op{Type: OpChangeRecord, Value: string(v), Clock: ms(c.At), At: c.At, Author: c.Author}, string(v))
	}
	for i := range ops {
		ops[i].At = ops[i].At.UTC()
	}
	SortOps(ops)
	return ops
}

// OpChangeRecord carries a change record written before operations
// existed (Value: the Change JSON), so that it is kept and merged too.
const OpChangeRecord OpType = "change.record"

func legacyID(parts ...any) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%v\x00", p)
	}
	return "l" + hex.EncodeToString(h.Sum(nil))[:31]
}

// DescribeOps says in a few words what operations brought, for a sync's
// commit message and its output: "3 entries from amara, Introduction
// edited by bob".
func DescribeOps(ops []Op) string {
	type key struct{ what, who string }
	counts := map[key]int{}
	var order []key
	note := func(what, who string) {
		k := key{what, who}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	for _, o := range ops {
		who := o.Author
		if who == "" {
			who = "someone"
		}
		switch o.Type {
		case OpEntryAdd:
			note("entry", who)
		case OpEntrySet:
			note("entry edit", who)
		case OpEntryDelete, OpEntryRestore, OpEntryRedact:
			note("deletion", who)
		case OpDraft:
			note("draft", who)
		case OpPublish:
			note("public update", who)
		case OpSection:
			note(o.Target+" edited", who)
		case OpPerspective:
			note(o.Target+" perspective", who)
		case OpItemAdd, OpItemSet, OpItemDelete, OpItemMove:
			note(itemLabel(o.Item)+" changed", who)
		case OpRetroStatus, OpRetroDue:
			note("retro status", who)
		}
	}
	var parts []string
	for _, k := range order {
		n := counts[k]
		switch k.what {
		case "entry", "entry edit", "deletion", "public update":
			w := k.what
			if n > 1 {
				w += "s"
				if k.what == "entry" {
					w = "entries"
				}
			}
			parts = append(parts, fmt.Sprintf("%d %s from %s", n, w, k.who))
		case "draft":
			parts = append(parts, "draft edited by "+k.who)
		default:
			parts = append(parts, k.what+" by "+k.who)
		}
	}
	if len(parts) > 6 {
		parts = append(parts[:6], fmt.Sprintf("%d more", len(parts)-6))
	}
	return strings.Join(parts, ", ")
}
