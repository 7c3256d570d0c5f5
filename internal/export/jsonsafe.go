package export

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// EscapeJSON rewrites C1 control characters (U+0080–U+009F, among them
// U+009B, the one-byte CSI) and the bidi controls (U+061C, U+200E, U+200F,
// U+202A–U+202E, U+2066–U+2069) in encoded JSON as \uXXXX escapes.
// encoding/json writes them raw, and a person who runs `--json` in a
// terminal would have the output reordered or the terminal driven by
// them. The escapes are the same strings to a JSON reader. In JSON such
// characters can only occur inside strings, so no parsing is needed.
func EscapeJSON(data []byte) []byte {
	if !hasUnsafeRune(data) {
		return data
	}
	var b bytes.Buffer
	b.Grow(len(data) + 16)
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if unsafeInJSON(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.Write(data[i : i+n])
		}
		i += n
	}
	return b.Bytes()
}

func hasUnsafeRune(data []byte) bool {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if unsafeInJSON(r) {
			return true
		}
		i += n
	}
	return false
}

func unsafeInJSON(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
