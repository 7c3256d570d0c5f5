package store

import "testing"

func TestUserPrefs(t *testing.T) {
	s := openTemp(t)
	if v, err := s.UserPref("amara", "timeline-wrap"); err != nil || v != "" {
		t.Fatalf("an unset preference = %q, %v; want empty", v, err)
	}
	tx, err := s.SetUserPref("amara", "timeline-wrap", "on")
	if err != nil || tx == 0 {
		t.Fatalf("SetUserPref = %d, %v", tx, err)
	}
	if tx, err := s.SetUserPref("amara", "timeline-wrap", "on"); err != nil || tx != 0 {
		t.Fatalf("setting the same value again = %d, %v; want no transaction", tx, err)
	}
	if v, _ := s.UserPref("amara", "timeline-wrap"); v != "on" {
		t.Fatalf("the preference reads %q, want on", v)
	}
	if v, _ := s.UserPref("bo", "timeline-wrap"); v != "" {
		t.Fatalf("another user's preference leaked: %q", v)
	}
	if _, err := s.SetUserPref("amara", "timeline-wrap", ""); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.UserPref("amara", "timeline-wrap"); v != "" {
		t.Fatalf("a cleared preference reads %q", v)
	}
	if rep, err := s.Check(); err != nil || len(rep.Problems) > 0 {
		t.Fatalf("check after preferences: %v %v", rep.Problems, err)
	}
}
