package incident

import (
	"encoding/json"
	"slices"
	"time"
)

// RetroOps describes the change from before to after as operations (without
// ids, clocks, times or authors, which the store gives them): a section's
// text, each perspective, each why, factor, action and review comment added,
// changed field by field, moved or deleted, the status and the due time.
// The screens change the retro as a whole (see store.UpdateRetro); this
// turns what they did into what can be merged with a teammate's changes.
func RetroOps(before, after Retro) []Op {
	var ops []Op
	if t := sectionTitles(&after); !slices.Equal(t, sectionTitles(&before)) {
		v, _ := json.Marshal(t)
		ops = append(ops, Op{Type: OpSections, Value: string(v)})
	}
	for _, s := range after.Sections {
		var prev Section
		if i := before.SectionIndex(s.Title); i >= 0 {
			prev = before.Sections[i]
		}
		if s.Text != prev.Text {
			// Made on behalf of the person the screen credited, if any.
			by := ""
			for _, c := range s.Contributors {
				if !slices.Contains(prev.Contributors, c) {
					by = c
					break
				}
			}
			ops = append(ops, Op{Type: OpSection, Target: s.Title, Base: Str(prev.Text), Value: s.Text, Author: by})
		}
		for _, p := range s.Perspectives {
			if prevText(prev, p.Author) != p.Text {
				ops = append(ops, Op{Type: OpPerspective, Target: s.Title, Author: p.Author, Value: p.Text})
			}
		}
		for _, p := range prev.Perspectives {
			if !slices.ContainsFunc(s.Perspectives, func(q Perspective) bool { return q.Author == p.Author }) {
				ops = append(ops, Op{Type: OpPerspective, Target: s.Title, Author: p.Author, Value: ""})
			}
		}
	}
	ops = append(ops, itemOps(ItemWhy, itemsOf(before, ItemWhy), itemsOf(after, ItemWhy))...)
	ops = append(ops, itemOps(ItemFactor, itemsOf(before, ItemFactor), itemsOf(after, ItemFactor))...)
	ops = append(ops, itemOps(ItemAction, itemsOf(before, ItemAction), itemsOf(after, ItemAction))...)
	ops = append(ops, itemOps(ItemComment, itemsOf(before, ItemComment), itemsOf(after, ItemComment))...)
	// Credits the screens gave (a review, a why added for someone).
	for _, s := range after.Sections {
		var prev []string
		if i := before.SectionIndex(s.Title); i >= 0 {
			prev = before.Sections[i].Contributors
		}
		for _, c := range s.Contributors {
			if !slices.Contains(prev, c) && !slices.ContainsFunc(ops, func(o Op) bool { return o.Type == OpSection && o.Target == s.Title && o.Author == c }) {
				ops = append(ops, Op{Type: OpCredit, Target: s.Title, Value: c})
			}
		}
	}
	if after.Status != before.Status && after.Status != "" {
		ops = append(ops, Op{Type: OpRetroStatus, Value: string(after.Status)})
	}
	if !after.Due.Equal(before.Due) {
		v := ""
		if !after.Due.IsZero() {
			v = after.Due.UTC().Format(time.RFC3339Nano)
		}
		ops = append(ops, Op{Type: OpRetroDue, Value: v})
	}
	return ops
}

func prevText(s Section, author string) string {
	for _, p := range s.Perspectives {
		if p.Author == author {
			return p.Text
		}
	}
	return ""
}

// itemsOf lists a retro's items of one kind, in order.
func itemsOf(r Retro, kind string) []*retroItem {
	var out []*retroItem
	switch kind {
	case ItemWhy:
		for _, w := range r.Whys {
			out = append(out, &retroItem{kind: kind, uid: w.UID, why: w})
		}
	case ItemFactor:
		for _, f := range r.Factors {
			out = append(out, &retroItem{kind: kind, uid: f.UID, factor: f})
		}
	case ItemAction:
		for _, a := range r.Actions {
			out = append(out, &retroItem{kind: kind, uid: a.UID, action: a})
		}
	case ItemComment:
		for _, c := range r.Review {
			out = append(out, &retroItem{kind: kind, uid: c.UID, comment: c})
		}
	}
	return out
}

// encode is the item as OpItemAdd carries it (the uid is the op's Target).
func (it *retroItem) encode() string {
	var v any
	switch it.kind {
	case ItemWhy:
		w := it.why
		w.UID = ""
		v = w
	case ItemFactor:
		f := it.factor
		f.UID = ""
		v = f
	case ItemAction:
		a := it.action
		a.UID = ""
		v = a
	default:
		c := it.comment
		c.UID = ""
		v = c
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func itemOps(kind string, before, after []*retroItem) []Op {
	var ops []Op
	byUID := map[string]*retroItem{}
	for _, it := range before {
		byUID[it.uid] = it
	}
	inAfter := map[string]bool{}
	for _, it := range after {
		inAfter[it.uid] = true
	}
	// The order the fold will have before any move: what stays, then
	// what is added, at the end.
	var sim []string
	for _, it := range before {
		if inAfter[it.uid] {
			sim = append(sim, it.uid)
		} else {
			ops = append(ops, Op{Type: OpItemDelete, Item: kind, Target: it.uid})
		}
	}
	for _, it := range after {
		prev, ok := byUID[it.uid]
		if !ok {
			ops = append(ops, Op{Type: OpItemAdd, Item: kind, Target: it.uid, Value: it.encode()})
			sim = append(sim, it.uid)
			continue
		}
		for _, field := range ItemFields(kind) {
			was, now := prev.fieldValue(field), it.fieldValue(field)
			if was != now {
				ops = append(ops, Op{Type: OpItemSet, Item: kind, Target: it.uid, Field: field, Base: Str(was), Value: now})
			}
		}
	}
	for i, it := range after {
		pred := ""
		if i > 0 {
			pred = after[i-1].uid
		}
		j := slices.Index(sim, it.uid)
		simPred := ""
		if j > 0 {
			simPred = sim[j-1]
		}
		if simPred == pred {
			continue
		}
		ops = append(ops, Op{Type: OpItemMove, Item: kind, Target: it.uid, Value: pred})
		sim = slices.Delete(sim, j, j+1)
		k := 0
		if pred != "" {
			k = slices.Index(sim, pred) + 1
		}
		sim = slices.Insert(sim, k, it.uid)
	}
	return ops
}
