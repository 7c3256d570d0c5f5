package incident

import (
	"testing"
	"time"
)

func TestMergeTextKeepsEveryonesLines(t *testing.T) {
	for _, c := range []struct{ name, base, next, cur, want string }{
		{"a line added above the one edited", "first\nsecond", "first A1\nsecond", "ben\nfirst\nsecond", "ben\nfirst A1\nsecond"},
		{"different lines", "a\nb\nc", "a1\nb\nc", "a\nb\nc1", "a1\nb\nc1"},
		{"the same line, both kept, the earlier first", "a", "a mine", "a theirs", "a theirs\na mine"},
		{"emptied by a publish, a teammate's line stays", "Checkout is slow.", "", "Checkout is slow.\nNext: the PSP.", "Next: the PSP."},
	} {
		if got, _ := MergeText(c.base, c.next, c.cur); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got, conflict := MergeLine("Why?", "Why did it fail?", "Why did checkout fail?"); got != "Why did checkout fail? / Why did it fail?" || !conflict {
		t.Errorf("one-line fields keep both on one line: %q", got)
	}
}

// A retro item deleted by someone who had not seen a teammate's edit of it
// stays, with the edit; one deleted after seeing every edit goes.
func TestDeletionRemovesOnlyWhatWasSeen(t *testing.T) {
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	add := Op{ID: "a", Clock: 1, At: at, Author: "amara", Type: OpItemAdd, Item: ItemWhy, Target: "w1", Value: `{"why":"Why?","because":"pool"}`}
	edit := Op{ID: "e", Clock: 3, At: at, Author: "ben", Type: OpItemSet, Item: ItemWhy, Target: "w1", Field: "because", Base: Str("pool"), Value: "pool saturated"}
	blind := Op{ID: "d", Clock: 2, At: at, Author: "amara", Type: OpItemDelete, Item: ItemWhy, Target: "w1", Value: `["a"]`}
	if r := FoldRecord([]Op{add, edit, blind}).Retro; len(r.Whys) != 1 || r.Whys[0].Because != "pool saturated" {
		t.Errorf("a deletion that had not seen the edit removed it: %+v", r.Whys)
	}
	seeing := Op{ID: "d2", Clock: 4, At: at, Author: "amara", Type: OpItemDelete, Item: ItemWhy, Target: "w1", Value: `["a","e"]`}
	if r := FoldRecord([]Op{seeing, edit, add}).Retro; len(r.Whys) != 0 {
		t.Errorf("a deletion that saw every edit kept the why: %+v", r.Whys)
	}
}

// Two people changing one line in different words (one types at its end,
// the other in its middle) merge word by word; changing the same words
// keeps both lines.
func TestMergeTextWordByWordOnOneLine(t *testing.T) {
	base := "Checkout is slow for some customers."
	got, conflict := MergeText(base, "Checkout is slow for some customers. We found the cause.", "Checkout is very slow for some customers.")
	if got != "Checkout is very slow for some customers. We found the cause." || conflict {
		t.Errorf("%q (conflict %v)", got, conflict)
	}
	got, conflict = MergeText(base, "Checkout is slow for many customers.", "Checkout is slow for all customers.")
	if got != "Checkout is slow for all customers.\nCheckout is slow for many customers." || !conflict {
		t.Errorf("the same word changed by both: %q (conflict %v)", got, conflict)
	}
	if got, _ := MergeText("Ünïcode wörds", "Ünïcode wörds añadidas", "Mäny Ünïcode wörds"); got != "Mäny Ünïcode wörds añadidas" {
		t.Errorf("multi-byte words: %q", got)
	}
}

// Edits that touch (one types right after a word the other replaced) are
// a clash: both lines are kept rather than a mix neither person wrote.
func TestMergeTextTouchingEditsKeepBoth(t *testing.T) {
	got, conflict := MergeText("12:31 alert", "12:31 alert fired (amara)", "12:31 first page (li)")
	if got != "12:31 first page (li)\n12:31 alert fired (amara)" || !conflict {
		t.Errorf("%q (conflict %v)", got, conflict)
	}
}
