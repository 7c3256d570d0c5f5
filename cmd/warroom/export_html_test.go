package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html/atom"

	"github.com/warroom-cli/warroom/internal/htmlcheck"
)

func TestExportHTML(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout <script>alert(1)</script> failing", "--sev", "2")
	e.ok("log", "-i", id, "rolled back [the deploy](javascript:alert(2))")
	e.ok("log", "-i", id, "/publish We are investigating.")
	out := e.ok("export", id, "--format", "html")
	root, problems := htmlcheck.Problems([]byte(out))
	for _, p := range problems {
		t.Errorf("export --format html: %s", p)
	}
	body := htmlcheck.Text(root)
	for _, want := range []string{"Checkout <script>alert(1)</script> failing", "rolled back [the deploy](javascript:alert(2))", "We are investigating.", "Timeline"} {
		if !strings.Contains(body, want) {
			t.Errorf("the HTML export lacks %q as text", want)
		}
	}
	if len(htmlcheck.All(root, htmlcheck.Tag(atom.Table))) == 0 {
		t.Error("no tables in the HTML export")
	}
	file := filepath.Join(e.dir, "postmortem.html")
	if msg := e.ok("export", id, "--format", "html", "-o", file); !strings.Contains(msg, "Wrote INC-1 to "+file) {
		t.Errorf("export -o printed %q", msg)
	}
	if data, err := os.ReadFile(file); err != nil || string(data) != out {
		t.Errorf("-o wrote something else than stdout: %v", err)
	}
	e.fails("export one incident at a time for JSON or HTML", "export", "--all", "--dir", e.dir, "--format", "html")
}
