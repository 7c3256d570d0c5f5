package incident

import "testing"

// invisibleRunes are the bidi controls and zero-width characters that
// CleanText drops.
var invisibleRunes = []rune{
	0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
	0x2066, 0x2067, 0x2068, 0x2069,
	0x200b, 0x200c, 0x200d, 0x2060, 0xfeff,
}

func TestCleanTextDropsBidiAndZeroWidth(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rolled back \u202e1174 yolped\u202c ok", "rolled back 1174 yolped ok"},
		{"\u2066isolate\u2069 \u2067rtl\u2069 \u2068first\u2069", "isolate rtl first"},
		{"\u202aembed\u202b\u202d", "embed"},
		{"ad\u200bmin", "admin"},
		{"zw\u200cnj\u200dj", "zwnjj"},
		{"word\u2060joiner", "wordjoiner"},
		{"\ufeffbom first", "bom first"},
		{"\u200b\x1b[31m\u202ered", "red"},
		// Right-to-left text itself comes through; only the controls go.
		{"שלום مرحبا", "שלום مرحبا"},
		{"nbsp\u00a0ok", "nbsp\u00a0ok"},
	}
	for _, tt := range tests {
		if got := CleanText(tt.in); got != tt.want {
			t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := CleanLine(tt.in); got != tt.want {
			t.Errorf("CleanLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, r := range invisibleRunes {
		s := "a" + string(r) + "b"
		if isPlain(s) {
			t.Errorf("isPlain(%q) = true; the fast path would keep %U", s, r)
		}
		if got := CleanText(s); got != "ab" {
			t.Errorf("CleanText(%q) = %q, want ab", s, got)
		}
	}
}

func FuzzCleanTextInvisible(f *testing.F) {
	for _, s := range []string{"\u202e", "a\u200bb", "\ufeff", "\u2066x\u2069", "ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range CleanText(s) {
			if invisible(r) {
				t.Fatalf("CleanText(%q) left %U", s, r)
			}
		}
		if c := CleanText(s); CleanText(c) != c {
			t.Fatalf("CleanText is not idempotent on %q", s)
		}
	})
}
