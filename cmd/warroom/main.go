// Command warroom is a terminal incident cockpit: a full-screen timeline,
// public-update countdown and retrospective for the resolution lead, kept in
// a local bbolt file and exported as Markdown.
//
// This package only parses flags and wires packages together; the logic
// lives under internal/.
package main

import (
	"os"
)

func main() {
	a := newApp(os.Stdout, os.Stderr)
	if err := newRootCmd(a).Execute(); err != nil {
		printf(os.Stderr, "warroom: %s\n", firstSentence(err))
		os.Exit(1)
	}
}
