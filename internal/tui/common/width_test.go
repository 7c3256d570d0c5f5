package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// TestWidthAndJoinHAgreeWithLipgloss: the remembered widths are the ones
// ansi.StringWidth gives, the first time and every time after, and JoinH
// lays blocks out exactly as lipgloss.JoinHorizontal does.
func TestWidthAndJoinHAgreeWithLipgloss(t *testing.T) {
	lines := []string{"", "plain", "\x1b[1mbold\x1b[0m text", "╭─ Timeline ─╮", "日本語 wide", "e\u0301 combining", "tab\tin", "★ starred"}
	for range 2 {
		for _, l := range lines {
			if got, want := Width(l), ansi.StringWidth(l); got != want {
				t.Fatalf("Width(%q) = %d, want %d", l, got, want)
			}
		}
	}
	blocks := [][]string{
		{strings.Join(lines[:4], "\n"), "a\nbb\nccc\ndddd\neeeee\nf"},
		{"x", "", "y\n\nz"},
		{strings.Join(lines, "\n")},
	}
	for _, bs := range blocks {
		if got, want := JoinH(bs...), lipgloss.JoinHorizontal(lipgloss.Top, bs...); got != want {
			t.Fatalf("JoinH(%q):\n%q\nwant\n%q", bs, got, want)
		}
	}
}
