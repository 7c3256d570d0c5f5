package incident

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Operations are the record (product.md §1a "One record on every machine",
// after git-bug's entity/dag). Every change to an incident — an entry added,
// edited, deleted or restored, the draft saved, an update published or
// delivered, every retro change — is an Op with a globally unique id and a
// Lamport clock. All copies order an incident's operations the same way,
// by (Clock, ID), never by a local sequence number, and an incident is the
// fold of its operations in that order. Merging two copies is the union of
// their operations by id, so it is commutative, associative and idempotent.
//
// The fold is split into independent streams: each timeline entry's own
// operations (FoldEntry), and the rest (the draft, the public updates and
// the retro: FoldRecord). A store can thus bring one entry or the retro up
// to date from its few operations without reading a long timeline, and the
// result is the same as folding everything, since no stream reads another.
//
// Text that several people edit carries the text its person started from
// (Base). When the fold meets an operation whose base is no longer the
// current text (someone else's edit came first in the order), it merges the
// two (Merge3): changes to different lines, or to words of one line with
// an unchanged word between them, both apply, and where both changed the
// same or neighbouring words both versions of the lines are kept, the
// earlier operation's first. Every word typed on any copy stays in the record.

// OpType names what an operation does.
type OpType string

// The operation types.
const (
	// OpCreate starts an incident: Value is the OpCreateBody JSON.
	OpCreate OpType = "incident.create"

	OpEntryAdd     OpType = "entry.add"     // Entry is the entry as typed
	OpEntrySet     OpType = "entry.set"     // Target: entry uid; Field: text|at|star|declared
	OpEntryDelete  OpType = "entry.delete"  // Target: entry uid
	OpEntryRestore OpType = "entry.restore" // Target: entry uid
	// OpEntryRedact removes an entry's text for good: the fold forgets
	// the text of every earlier operation on it.
	OpEntryRedact OpType = "entry.redact"

	OpDraft    OpType = "draft.set"       // Base: the draft as its person saw it; Value: the new draft
	OpPublish  OpType = "update.publish"  // Update is the update; Base: the draft its person saw
	OpDelivery OpType = "update.delivery" // Target: update uid; Value: []Delivery JSON

	OpSection     OpType = "retro.section"     // Target: section title; Base, Value: its text
	OpPerspective OpType = "retro.perspective" // Target: section title; Value: the author's text
	OpItemAdd     OpType = "retro.add"         // Item: kind; Target: uid; Value: the item's JSON
	OpItemSet     OpType = "retro.set"         // Item, Target, Field, Base, Value
	OpItemDelete  OpType = "retro.delete"      // Item, Target
	OpItemMove    OpType = "retro.move"        // Item, Target; Value: the uid it now follows ("" first)
	OpRetroStatus OpType = "retro.status"      // Value: draft|final
	OpRetroDue    OpType = "retro.due"         // Value: RFC 3339 or "" for the computed one
	// OpSections sets the order of the retro's sections (Value: a JSON
	// list of titles); sections with text that it leaves out stay after.
	OpSections OpType = "retro.sections"
	// OpCredit credits a person on a section (Target) as a contributor.
	OpCredit OpType = "retro.credit"
)

// Retro item kinds (Op.Item).
const (
	ItemWhy     = "why"
	ItemFactor  = "factor"
	ItemAction  = "action"
	ItemComment = "comment"
)

// Op is one operation. Its JSON is the repository's line format and the
// store's record: fields are omitted when empty so that lines stay short.
type Op struct {
	ID     string    `json:"id"`
	Clock  uint64    `json:"clock"`
	At     time.Time `json:"at"`
	Author string    `json:"author,omitzero"`
	Type   OpType    `json:"type"`
	Item   string    `json:"item,omitzero"`
	Target string    `json:"target,omitzero"`
	Field  string    `json:"field,omitzero"`
	// Base is the text the operation's person started from, for texts
	// several people edit; nil when the operation replaces a value whole.
	Base   *string `json:"base,omitzero"`
	Value  string  `json:"value,omitzero"`
	Entry  *Entry  `json:"entry,omitzero"`
	Update *Update `json:"update,omitzero"`
}

// OpCreateBody is what OpCreate carries: the incident's identity and the
// retro sections it was declared with.
type OpCreateBody struct {
	UID      string    `json:"uid"`
	Created  time.Time `json:"created"`
	Sections []string  `json:"sections,omitzero"`
}

// CompareOps is the one order every copy folds in: by clock, then by id.
func CompareOps(a, b Op) int {
	if c := cmp.Compare(a.Clock, b.Clock); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// SortOps sorts ops into fold order.
func SortOps(ops []Op) { slices.SortFunc(ops, CompareOps) }

// Stream names the fold an operation belongs to: "e:<uid>" for a timeline
// entry's operations, "r" for the rest (draft, updates, retro, creation).
func (o Op) Stream() string {
	switch o.Type {
	case OpEntryAdd:
		if o.Entry != nil {
			return "e:" + o.Entry.UID
		}
	case OpEntrySet, OpEntryDelete, OpEntryRestore, OpEntryRedact:
		return "e:" + o.Target
	}
	return "r"
}

// EntryUID is the uid of the entry an entry operation is about, or "".
func (o Op) EntryUID() string {
	if s, ok := strings.CutPrefix(o.Stream(), "e:"); ok {
		return s
	}
	return ""
}

// Str is a pointer to s, for Op.Base.
func Str(s string) *string { return &s }

// MaxOpSkew is how far ahead of the receiving machine's clock an
// operation may be dated: more means a clock set wrong somewhere.
const MaxOpSkew = time.Hour

// ValidUID reports whether s can name an incident, entry or item: 1 to 64
// characters of letters, digits, '-' and '_' (so a uid can name a file).
func ValidUID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// CheckOp checks an operation that came from outside (a record file, an
// import) against now: a sentence saying what is wrong, or nil.
func CheckOp(o Op, now time.Time) error {
	switch {
	case !ValidUID(o.ID):
		return fmt.Errorf("an operation has the id %q, which is not a uid (letters, digits, - and _)", o.ID)
	case o.Clock == 0:
		return fmt.Errorf("operation %s has no clock", o.ID)
	case o.At.IsZero():
		return fmt.Errorf("operation %s has no time", o.ID)
	case !now.IsZero() && o.At.After(now.Add(MaxOpSkew)):
		return fmt.Errorf("operation %s by %s is dated %s, %s ahead of this machine's clock; check the clock of the machine it came from", o.ID, o.Author, o.At.UTC().Format(time.RFC3339), FormatDuration(o.At.Sub(now).Round(time.Minute)))
	case !utf8.ValidString(o.Value) || (o.Base != nil && !utf8.ValidString(*o.Base)):
		return fmt.Errorf("operation %s holds text that is not UTF-8", o.ID)
	case len(o.Value) > 4*MaxTextBytes:
		return fmt.Errorf("operation %s holds %d bytes, over the limit", o.ID, len(o.Value))
	}
	switch o.Type {
	case OpCreate:
		var body OpCreateBody
		if err := json.Unmarshal([]byte(o.Value), &body); err != nil || !ValidUID(body.UID) {
			return fmt.Errorf("operation %s creates an incident without a valid uid", o.ID)
		}
	case OpEntryAdd:
		if o.Entry == nil || !ValidUID(o.Entry.UID) {
			return fmt.Errorf("operation %s adds an entry without a valid uid", o.ID)
		}
	case OpEntrySet, OpEntryDelete, OpEntryRestore, OpEntryRedact, OpDelivery, OpItemSet, OpItemDelete, OpItemMove:
		if !ValidUID(o.Target) {
			return fmt.Errorf("operation %s names %q, which is not a uid", o.ID, o.Target)
		}
	case OpItemAdd:
		if !ValidUID(o.Target) || !slices.Contains([]string{ItemWhy, ItemFactor, ItemAction, ItemComment}, o.Item) {
			return fmt.Errorf("operation %s adds a retro item without a valid kind and uid", o.ID)
		}
	case OpPublish:
		if o.Update == nil || !ValidUID(o.Update.UID) {
			return fmt.Errorf("operation %s publishes an update without a valid uid", o.ID)
		}
	case OpDraft, OpSection, OpPerspective, OpRetroStatus, OpRetroDue, OpChangeRecord, OpSections, OpCredit:
	default:
		return fmt.Errorf("operation %s is of a kind this warroom does not know (%q); update warroom", o.ID, o.Type)
	}
	return nil
}

// SameOp reports whether two operations with one id say the same thing.
func SameOp(a, b Op) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// ErrOpConflict is what a union reports when one id names two different
// operations: a hand-edited record.
var ErrOpConflict = errors.New("one operation id names two different operations")

// MergeText is the text after an operation that changed base into next was
// applied to cur (what the fold had reached). Where both changed the same
// lines both versions are kept, cur's first; conflict reports that.
func MergeText(base, next, cur string) (string, bool) {
	if cur == base || cur == next {
		return next, false
	}
	if next == base {
		return cur, false
	}
	m := Merge3(base, next, cur)
	if next == "" || cur == "" || base == "" {
		// An empty text is no line at all, not one empty line: what a
		// publish emptied leaves only what others added, with no blank
		// line where the text was.
		return strings.Trim(m.Text, "\n"), m.Conflict
	}
	return m.Text, m.Conflict
}

// MergeLine is MergeText for one-line fields (a why, an action's title):
// both versions are kept on the one line, joined by " / ", so the field
// stays one line and saving it again is not taken for another change.
func MergeLine(base, next, cur string) (string, bool) {
	if cur == base || cur == next {
		return next, false
	}
	if next == base {
		return cur, false
	}
	if strings.Contains(cur, next) {
		return cur, false
	}
	return cur + " / " + next, true
}

// Conflict is a place where the fold kept two people's versions side by
// side: the notice names both.
type Conflict struct {
	Target string // "retro section Introduction", "draft", "why <uid>"...
	By     string // whose version came first
	Other  string // whose operation met it
	Op     string // the operation's id
}

// Notice is what the person who made Other's edit is told.
func (c Conflict) Notice() string {
	return fmt.Sprintf("%s changed these lines of the %s too — both kept", c.By, c.Target)
}

// CreateOp is the operation that starts an incident.
func CreateOp(uid string, created time.Time, sections []string) Op {
	body, _ := json.Marshal(OpCreateBody{UID: uid, Created: created.UTC(), Sections: sections})
	return Op{Type: OpCreate, Value: string(body), At: created}
}

// RedactOp is o without the entry text it carries: what stays of an
// operation on a redacted entry.
func RedactOp(o Op) Op {
	switch o.Type {
	case OpEntryAdd:
		if o.Entry != nil && o.Entry.Text != "" {
			e := *o.Entry
			e.Text = ""
			o.Entry = &e
		}
	case OpEntrySet:
		if o.Field == "text" {
			o.Base, o.Value = nil, ""
		}
	}
	return o
}

// FillRetroUIDs names every why, factor, action and review comment that
// has no uid yet, so that operations can address it.
func FillRetroUIDs(r *Retro, uid func() string) {
	fillUIDs(r.Whys, func(w *Why) *string { return &w.UID }, uid)
	fillUIDs(r.Factors, func(f *Factor) *string { return &f.UID }, uid)
	fillUIDs(r.Actions, func(a *Action) *string { return &a.UID }, uid)
	fillUIDs(r.Review, func(c *ReviewComment) *string { return &c.UID }, uid)
}
