package server

import "testing"

func TestSessionZone(t *testing.T) {
	for env, want := range map[string]string{
		"TZ=Europe/Berlin": "Europe/Berlin", "TZ=:UTC": "UTC", "TZ=Mars/Olympus": "",
		"TZ=../../etc/passwd": "", "TZ=/etc/localtime": "", "LANG=C": "",
	} {
		loc := SessionZone([]string{"LANG=C.UTF-8", env})
		got := ""
		if loc != nil {
			got = loc.String()
		}
		if got != want {
			t.Errorf("SessionZone(%q) = %q, want %q", env, got, want)
		}
	}
}

func FuzzSessionZone(f *testing.F) {
	for _, s := range []string{"TZ=UTC", "TZ=Europe/Berlin", "TZ=", "TZ=../x", "TZ=\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, kv string) {
		if loc := SessionZone([]string{kv}); loc != nil && loc.String() == "" {
			t.Fatalf("a zone with no name from %q", kv)
		}
	})
}
