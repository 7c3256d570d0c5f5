package export

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEscapeJSONRoundTrips(t *testing.T) {
	in := map[string]string{"t": "a\u009bb\u0085c\u202ed\u2066e\u200ff\u061cg é ü 日本 \u00a0"}
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out := EscapeJSON(raw)
	for _, r := range "\u009b\u0085\u202e\u2066\u200f\u061c" {
		if strings.ContainsRune(string(out), r) {
			t.Errorf("EscapeJSON left %U raw: %q", r, out)
		}
	}
	for _, s := range []string{`\u009b`, `\u0085`, `\u202e`, `\u2066`, `\u200f`, `\u061c`, "é ü 日本 \u00a0"} {
		if !strings.Contains(string(out), s) {
			t.Errorf("EscapeJSON output lacks %q: %q", s, out)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || back["t"] != in["t"] {
		t.Errorf("EscapeJSON output reads back as %q (%v), want %q", back["t"], err, in["t"])
	}
	if plain := []byte(`{"a":"b"}`); string(EscapeJSON(plain)) != string(plain) {
		t.Error("EscapeJSON changed JSON with nothing to escape")
	}
}
