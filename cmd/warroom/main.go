// Command warroom is a terminal incident cockpit: a full-screen timeline,
// public-update countdown and retrospective for the resolution lead, kept in
// a local bbolt file and exported as Markdown.
//
// This package only parses flags and wires packages together; the logic
// lives under internal/.
package main

import (
	"fmt"
	"os"
)

func main() {
	a := newApp(os.Stdout, os.Stderr)
	if err := newRootCmd(a).Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "warroom: "+firstSentence(err))
		os.Exit(1)
	}
}
