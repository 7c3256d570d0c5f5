package incident

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFactorsAddEditLuckEvidence(t *testing.T) {
	now := time.Date(2026, 5, 4, 15, 0, 0, 0, time.UTC)
	uid := seqUID()
	var r Retro
	if _, err := AddFactor(&r, "  \x1b[31m ", false, "amara", now, uid); err == nil {
		t.Error("an empty (escape-only) factor was added")
	}
	if _, err := AddFactor(&r, strings.Repeat("x", MaxFactorRunes+1), false, "amara", now, uid); err == nil {
		t.Error("an over-long factor was added")
	}
	f, err := AddFactor(&r, "Pool size\nnever load tested", false, "amara", now, uid)
	if err != nil {
		t.Fatal(err)
	}
	if f.Cause != "Pool size never load tested" || f.Author != "amara" || f.UID == "" {
		t.Errorf("factor stored as %+v; want one line, authored, with a uid", f)
	}
	if got := r.Section(SectionWhys).Contributors; !slices.Equal(got, []string{"amara"}) {
		t.Errorf("contributors = %v; a factor credits the five whys section", got)
	}

	// Two people reword the cause at once: both wordings are kept.
	base := r.Factors[0]
	if _, err := EditFactorFrom(&r, f.UID, base, "Pool size never tested under load", "dana", now, uid); err != nil {
		t.Fatal(err)
	}
	note, err := EditFactorFrom(&r, f.UID, base, "Nobody load tested the pool", "chen", now, uid)
	if err != nil || note == "" {
		t.Fatalf("a concurrent edit gave note %q, err %v; want a note", note, err)
	}
	if c := r.Factors[0].Cause; !strings.Contains(c, "Pool size never tested under load") || !strings.Contains(c, "Nobody load tested the pool") {
		t.Errorf("cause after two concurrent edits = %q; want both wordings", c)
	}

	// Evidence: only this person's changes apply over a teammate's.
	if err := SetEvidence(&r, f.UID, nil, []string{"e1", "e2", "e1"}, "amara", now); err != nil {
		t.Fatal(err)
	}
	if err := SetEvidence(&r, f.UID, []string{"e1", "e2"}, []string{"e2", "e3"}, "dana", now); err != nil {
		t.Fatal(err)
	}
	stale := []string{"e1", "e2"} // chen's copy from before dana's change
	if err := SetEvidence(&r, f.UID, stale, []string{"e1", "e2", "e4"}, "chen", now); err != nil {
		t.Fatal(err)
	}
	if got := r.Factors[0].Evidence; !slices.Equal(got, []string{"e2", "e3", "e4"}) {
		t.Errorf("evidence = %v; want dana's removal of e1 and both additions kept", got)
	}

	if lucky, err := ToggleLucky(&r, f.UID, "amara", now); err != nil || !lucky {
		t.Errorf("ToggleLucky = %v, %v", lucky, err)
	}

	// Deleted meanwhile: an edit is added again, not lost.
	stale2 := r.Factors[0]
	if err := DeleteFactor(&r, f.UID, "dana", now); err != nil {
		t.Fatal(err)
	}
	note, err = EditFactorFrom(&r, f.UID, stale2, "kept words", "chen", now, uid)
	if err != nil || len(r.Factors) != 1 || r.Factors[0].Cause != "kept words" || note == "" {
		t.Errorf("edit of a deleted factor: factors %+v, note %q, err %v", r.Factors, note, err)
	}
	if !r.Factors[0].Lucky || !slices.Equal(r.Factors[0].Evidence, stale2.Evidence) {
		t.Error("an edit of a deleted factor lost its luck flag or evidence")
	}
}

func TestEvidenceSaysWhenAnEntryIsGone(t *testing.T) {
	inc := &Incident{Entries: []Entry{{ID: 1, UID: "e1", Text: "a"}, {ID: 2, UID: "e2", Text: "b", Deleted: true}}}
	got := inc.Evidence(Factor{Evidence: []string{"e1", "e2", "e9"}})
	if len(got) != 3 || got[0].Deleted || got[0].Entry.ID != 1 || !got[1].Deleted || got[1].Entry.ID != 2 || !got[2].Deleted || got[2].Entry.ID != 0 {
		t.Errorf("Evidence = %+v", got)
	}
}

func TestActionAddresses(t *testing.T) {
	r := Retro{
		Factors: []Factor{{UID: "fa"}, {UID: "fb"}},
		Whys:    []Why{{UID: "wa"}, {UID: "wb"}, {UID: "wc"}},
	}
	for in, want := range map[string]string{"f2": "fb", "Factor 1": "fa", "w3": "wc", "why 2": "wb", " ": ""} {
		got, err := r.ParseAddress(in)
		if err != nil || got != want {
			t.Errorf("ParseAddress(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"f3", "w0", "x1", "f", "f1x", "w-1"} {
		if _, err := r.ParseAddress(bad); err == nil {
			t.Errorf("ParseAddress(%q) took it", bad)
		}
	}
	if r.AddressLabel("fb") != "factor 2" || r.AddressCode("wc") != "w3" || r.AddressLabel("zz") != "a deleted factor or why" || r.AddressLabel("") != "" {
		t.Error("address labels or codes are wrong")
	}
}

func TestReviewComments(t *testing.T) {
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	var r Retro
	if _, err := AddReviewComment(&r, "Timeline", " \x07 ", "kim", now, seqUID()); err == nil {
		t.Error("an empty comment was stored")
	}
	c, err := AddReviewComment(&r, "Timeline", "Why was the \x1b]0;x\x07page missed?", "kim", now, seqUID())
	if err != nil {
		t.Fatal(err)
	}
	if c.Text != "Why was the page missed?" || c.Author != "kim" || c.Section != "Timeline" {
		t.Errorf("comment stored as %+v", c)
	}
	if got := r.ReviewOn("timeline"); len(got) != 1 {
		t.Errorf("ReviewOn = %v", got)
	}
	if err := DeleteReviewComment(&r, c.UID, "amara"); err == nil {
		t.Error("someone else deleted kim's comment")
	}
	if err := DeleteReviewComment(&r, c.UID, "kim"); err != nil || len(r.Review) != 0 {
		t.Errorf("kim could not delete her comment: %v", err)
	}
}
