package main

import (
	"fmt"
	"io"
	"reflect"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Everything a command prints for a person goes through printf or printLine
// (TestOutputOnlyThroughCleaning holds this file to it). Titles, names, tags,
// paths, config values, webhook replies and error messages that quote what
// was typed can all carry escape sequences, control characters or bidi
// overrides, and printed raw they would drive the terminal: retitle it,
// clear it, reorder what a person reads. Cleaning the arguments, not the
// whole line, keeps the format's own newlines and tabs (tabwriter needs
// them) and means no call site has to remember which values came from a
// person: all of them are cleaned with incident.CleanLine, the cleaning the
// cockpit applies. JSON output (--json, export --format json) is data for
// scripts, stored text as given, and is written with printJSON or Write.

// printf is fmt.Fprintf with every string and error argument cleaned. The
// arguments are cleaned in place and handed on as args..., so go vet still
// checks every call's format against its arguments.
func printf(w io.Writer, format string, args ...any) {
	cleanArgs(args)
	fmt.Fprintf(w, format, args...)
}

// printLine is fmt.Fprintln with every string and error argument cleaned.
func printLine(w io.Writer, args ...any) {
	cleanArgs(args)
	fmt.Fprintln(w, args...)
}

func cleanArgs(args []any) {
	for i, v := range args {
		args[i] = cleanArg(v)
	}
}

// cleanArg cleans strings, named string types (incident.Kind, Status...)
// and errors. Other Stringers are left alone: they are ours (Severity,
// time.Duration) and may be formatted with verbs other than %s.
func cleanArg(v any) any {
	switch x := v.(type) {
	case string:
		return incident.CleanLine(x)
	case error:
		return incident.CleanLine(x.Error())
	case nil:
		return v
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return incident.CleanLine(rv.String())
	}
	return v
}
