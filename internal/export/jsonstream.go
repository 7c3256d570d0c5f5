package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Source is an incident too large to hold in memory whole, as WriteJSON
// reads it: the timeline, change record and operations one at a time, in
// the order JSON writes them, and an entry by uid (a factor's evidence).
// Each of the three walks calls yield once per item and stops at the first
// error yield returns.
type Source struct {
	// Entries walks the timeline in time order (incident.SortEntries),
	// deleted entries included.
	Entries func(yield func(incident.Entry) error) error
	// Changes walks the change record in its order.
	Changes func(yield func(incident.Change) error) error
	// Ops walks the operations in fold order; nil for a document without
	// them (show --json).
	Ops func(yield func(incident.Op) error) error
	// EntryByUID finds one entry of the timeline.
	EntryByUID func(uid string) (incident.Entry, bool)
}

// WriteJSON writes to w the bytes JSON would give for inc with the
// timeline, change record and operations of src, one item at a time: what
// it holds at once is inc's own fields, retro and public updates, and one
// item (an entry, a change or an operation). inc's Entries, Changes and
// Ops are not read.
//
// The document is encoded with the three lists empty, and each list is
// then written where its "[]" stands, element by element, indented as the
// encoder indents an element at that depth; TestWriteJSONIsJSON holds the
// bytes equal to JSON's.
func WriteJSON(w io.Writer, inc *incident.Incident, p incident.Policy, src Source) error {
	head := *inc
	head.Entries, head.Changes, head.Ops = nil, nil, nil
	d := NewDoc(&head, p)
	// The evidence of a factor names entries: looked up one by one.
	for i, f := range head.Retro.Factors {
		ev := []DocEvidence{}
		for _, uid := range f.Evidence {
			l := DocEvidence{UID: uid, Deleted: true}
			if e, ok := src.EntryByUID(uid); ok && uid != "" {
				l.ID, l.Deleted = e.ID, e.Deleted
			}
			ev = append(ev, l)
		}
		d.Retro.Factors[i].Evidence = ev
	}
	doc, err := d.Encode()
	if err != nil {
		return err
	}
	const entriesAt, changesAt = "\n  \"entries\": [],\n", "\n  \"changes\": []\n}\n"
	i := bytes.Index(doc, []byte(entriesAt))
	if i < 0 || !bytes.HasSuffix(doc, []byte(changesAt)) {
		return fmt.Errorf("cannot encode %s as JSON: the document's layout is not the one expected", d.ID)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	// Up to the entries' "[".
	bw.Write(doc[:i+len(entriesAt)-len("],\n")])
	if err := writeList(bw, src.Entries, func(e incident.Entry) any { return docEntry(e) }); err != nil {
		return err
	}
	// From the entries' "]" to the changes' "[".
	bw.Write(doc[i+len(entriesAt)-len("],\n") : len(doc)-len("]\n}\n")])
	if err := writeList(bw, src.Changes, func(c incident.Change) any { return DocChange(c) }); err != nil {
		return err
	}
	bw.WriteString("]")
	if src.Ops != nil {
		// ops is the last field and left out when empty (omitzero).
		first := true
		err := src.Ops(func(o incident.Op) error {
			if first {
				bw.WriteString(",\n  \"ops\": [")
				first = false
			} else {
				bw.WriteString(",")
			}
			return writeElement(bw, o)
		})
		if err != nil {
			return err
		}
		if !first {
			bw.WriteString("\n  ]")
		}
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// writeList writes the elements walk yields, each converted by conv, from
// just after a list's "[" to just before its "]".
func writeList[T any](bw *bufio.Writer, walk func(yield func(T) error) error, conv func(T) any) error {
	n := 0
	if walk != nil {
		err := walk(func(item T) error {
			v := conv(item)
			if n > 0 {
				bw.WriteString(",")
			}
			n++
			return writeElement(bw, v)
		})
		if err != nil {
			return err
		}
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	return nil
}

// writeElement writes one element of a top-level list: on a line of its
// own, indented by four spaces as the encoder indents it there.
func writeElement(bw *bufio.Writer, v any) error {
	data, err := json.MarshalIndent(v, "    ", "  ")
	if err != nil {
		return err
	}
	bw.WriteString("\n    ")
	_, err = bw.Write(EscapeJSON(data))
	return err
}
