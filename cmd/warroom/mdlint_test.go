package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/incident"
)

// markdownlint finds markdownlint-cli2 (installed by .ci/run), or skips;
// under WARROOM_E2E_REQUIRED=1 a missing tool fails the test.
func markdownlint(t *testing.T) []string {
	t.Helper()
	if p, err := exec.LookPath("markdownlint-cli2"); err == nil {
		return []string{p}
	}
	if npx, err := exec.LookPath("npx"); err == nil {
		if exec.Command(npx, "--no-install", "markdownlint-cli2", "--help").Run() == nil {
			return []string{npx, "--no-install", "markdownlint-cli2"}
		}
	}
	if os.Getenv("WARROOM_E2E_REQUIRED") == "1" {
		t.Fatal("markdownlint-cli2 is not installed (npm install -g markdownlint-cli2)")
	}
	t.Skip("markdownlint-cli2 is not installed (npm install -g markdownlint-cli2)")
	return nil
}

// lintConfig is markdownlint's defaults but for line length (prose and
// tables are one line per paragraph or row) and bare URLs (links people
// typed read as text).
const lintConfig = `{"config": {"default": true, "MD013": false, "MD034": false}}`

// lintDir runs markdownlint-cli2 on every Markdown file in dir and fails
// the test with its report.
func lintDir(t *testing.T, tool []string, dir string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, ".markdownlint-cli2.jsonc"), []byte(lintConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tool[0], append(tool[1:], "**/*.md")...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("markdownlint-cli2 finds problems in the export (%v):\n%s", err, out)
	}
}

// hostileRetro fills every retro field with text that tries to break the
// document: headings at every level and out of order, HTML, fences left
// open, table pipes, lists glued to paragraphs, setext underlines.
func hostileRetro(r *incident.Retro) {
	setSection(r, "Introduction", "## x\ntext right under it\n### Root cause\n##### deep\n- list glued\n- to the text\nafter the list\n# top\n<script>alert(1)</script>\n[click](javascript:alert(1))\nTitle\n===\n\n```\nunclosed fence")
	setSection(r, "Timeline", "| a | b |\n|---|---|\n| 1 | |\n####### seven\n* star list\n+ plus list")
	setSection(r, "What went well", "#")
	// The pagerduty preset's section named like the layout's own heading.
	setSection(r, "Contributing factors", "## Contributing factors\n\n1. one\n3. three")
	setSection(r, "Five whys", "   # indented heading\n\n\n\nthree blank lines")
	// What people write in Markdown every day, in every style. (Left to
	// the writer: the words of a link (MD039, MD059) and how deep a
	// nested list is indented (MD007).)
	setSection(r, "What went wrong", "Some _emphasis_ and __strong__ and *x* and **y**, snake_case_name and 2*3*4.\n\n- a\n  - nested two\n\n-   wide marker\n\n> quote\n>  two spaces\n\n> second quote\n\n` a ` code and [the runbook](https://x.example) and ![](https://z.example/i.png) and https://example.com/_x_/y\n\n    indented code\n\n~~~\ntilde fence\n~~~\n\n* * *\n\nTrailing two spaces  \nnext line")
	r.Whys = []incident.Why{{Why: "| pipe | why", Because: "# hash because\n- list", RootCause: true}, {Why: "", Because: "` tick"}}
	r.Actions = []incident.Action{
		{Title: "|||", Kind: incident.Immediate},
		{Title: "# heading action", Kind: incident.LongTerm, Owner: "<b>x</b>", Link: "javascript:alert(1)"},
	}
	r.Factors = []incident.Factor{{Cause: "| factor |"}}
}

func TestExportsPassMarkdownlint(t *testing.T) {
	tool := markdownlint(t)
	e := newEnv(t)
	for _, rp := range replays {
		e.replay(rp)
	}
	id := e.newIncident("# Title | with *stars* and <b>tags</b> `tick", "--sev", "2", "--at", "2026-05-04T12:00:00Z",
		"--lead", "| lead |", "--war-room", "#war|room", "--public", "")
	log := `2026-05-04 12:01 # not a heading | pipe
12:02 /tag a|b
12:03 /publish ## headline <script>x</script> | pipe
12:04 ? ` + "```" + `
12:40 * starred ** bold
12:41 /role | scribe | x
2026-05-05 01:00 /resolved
`
	path := filepath.Join(e.dir, "hostile.log")
	if err := os.WriteFile(path, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	e.ok("log", "-i", id, "--file", path)
	e.editRetro(id, hostileRetro)
	// An incident with nothing but its declaration, and the demo.
	e.newIncident("Empty", "--at", "2026-05-06T09:00:00Z")
	e.ok("demo", "--no-open")

	dir := filepath.Join(e.dir, "repo")
	e.ok("export", "--all", "--dir", dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	if len(files) != 7 {
		t.Fatalf("export --all wrote %d Markdown files, want 6 incidents and the index: %v", len(files), files)
	}
	lintDir(t, tool, dir)
	if t.Failed() {
		for _, f := range files {
			if strings.Contains(f, "INC-4") {
				data, _ := os.ReadFile(f)
				t.Logf("%s:\n%s", f, data)
			}
		}
	}
}
