package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/export"
)

func newExportCmd(a *app) *cobra.Command {
	var output, format, dir string
	var all bool
	cmd := &cobra.Command{
		Use:   "export [ID]",
		Short: "Export an incident as Markdown, HTML, JSON or an Atom feed, or every incident into a folder",
		Long: `Export writes one incident as the Markdown retrospective document (the default) or as
JSON (--format json, which warroom import reads back), or its published public updates as
an Atom feed (--format atom, newest first), to stdout or to a file with -o.

--format html writes the same document as one self-contained HTML file (stylesheet inline,
no scripts, nothing fetched; links only to http, https and mailto), for sharing the
postmortem with teams that do not read Markdown.

With --all --dir DIR it writes every incident as INC-n-slug.md plus an index.md with the
list, the trends and the open action items, and feed.atom, the Atom feed of every
incident's public updates, ready to commit to a git repository. It is
safe to re-run into the same folder: files of renamed incidents are removed, other files
are left alone. Only files warroom generated are replaced or removed (each starts with a
marker comment that Markdown does not show); a file written or edited by hand is never
touched, so notes such as INC-3-notes.md can live beside the exports.

The config key export_template names a Go text/template that replaces the built-in
Markdown layout.`,
		Args: maxOneArg("incident id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			format = strings.ToLower(strings.TrimSpace(format))
			switch format {
			case "md", "markdown":
				format = "md"
			case "json", "atom", "html":
			default:
				return fmt.Errorf("format %q is not known; use --format md, html or json, or --format atom for a feed of the public updates", format)
			}
			if all {
				return a.exportAll(args, dir, output, format)
			}
			if dir != "" {
				return errors.New("--dir goes with --all; to export one incident to a file use -o FILE")
			}
			if format == "json" {
				// Streamed, operations included (see writeJSON).
				inc, err := a.writeJSON(args, true, output)
				if err == nil && output != "" && output != "-" {
					printf(a.stdout, "Wrote %s to %s\n", inc.Key(), output)
				}
				return err
			}
			inc, err := a.loadIncident(args)
			if err != nil {
				return err
			}
			var data []byte
			if format == "atom" {
				data, err = export.Atom(inc)
			} else {
				var opts export.Options
				if opts, err = a.exportOptions(); err != nil {
					return err
				}
				if format == "html" {
					data, err = export.HTML(inc, opts)
				} else {
					data, err = export.Markdown(inc, opts)
				}
			}
			if err != nil {
				return err
			}
			if output == "" || output == "-" {
				_, err = a.stdout.Write(data)
				return err
			}
			if err := os.WriteFile(output, data, 0o644); err != nil {
				return fmt.Errorf("cannot write %s: %v", output, unwrapPathErr(err))
			}
			printf(a.stdout, "Wrote %s to %s\n", inc.Key(), output)
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE instead of stdout")
	cmd.Flags().StringVar(&format, "format", "md", "md (Markdown), html (the same as one HTML file), json or atom (a feed of the public updates)")
	cmd.Flags().BoolVar(&all, "all", false, "export every incident into --dir")
	cmd.Flags().StringVar(&dir, "dir", "", "folder for --all (created if needed)")
	return cmd
}

func (a *app) exportAll(args []string, dir, output, format string) error {
	switch {
	case len(args) > 0:
		return fmt.Errorf("export --all exports every incident, so it takes no incident id (got %q)", args[0])
	case dir == "":
		return errors.New("export --all needs --dir DIR, the folder to write the files into")
	case output != "":
		return errors.New("export --all writes one file per incident into --dir, so it does not take -o")
	case format != "md":
		return errors.New("export --all writes Markdown; export one incident at a time for JSON or HTML")
	}
	opts, err := a.exportOptions()
	if err != nil {
		return err
	}
	st, err := a.openExisting()
	if err != nil {
		return err
	}
	// The folder's manifest names what the last run wrote from which
	// record: those incidents are neither read whole nor rendered again.
	// Without a cache directory every incident is rendered, as before.
	var mpath string
	if cache, err := os.UserCacheDir(); err == nil {
		mpath = export.ManifestPath(cache, dir)
	}
	m := export.ReadManifest(mpath, opts)
	need := func(uid, stamp string) bool { return !m.Fresh(dir, uid, stamp) }
	// When no file is to be written again, the incidents come from their
	// summaries, enough for the index; the feed needs them whole.
	now := a.now() // one clock for the feed's stamp here and below
	incs, stamps, light, err := st.IncidentsForExportLight(need)
	if err == nil && light && !m.FeedFresh(dir, incs, stamps, now) {
		incs, stamps, err = st.IncidentsForExportIf(need)
	}
	if err != nil {
		return err
	}
	res, err := export.WriteAllStamped(dir, incs, stamps, m, opts, now)
	if err != nil {
		return err
	}
	printf(a.stdout, "Wrote %s and %s to %s, and the Atom feed %s", countOf(len(incs), "incident", "incidents"), export.IndexFile, dir, export.FeedFile)
	if n := len(res.Removed); n > 0 {
		printf(a.stdout, "; removed %s (%s)", countOf(n, "stale file", "stale files"), strings.Join(res.Removed, ", "))
	}
	if n := len(res.Kept); n > 0 {
		printf(a.stdout, "; left alone %s edited by hand (%s)", countOf(n, "file", "files"), strings.Join(res.Kept, ", "))
	}
	printLine(a.stdout)
	return nil
}

// exportOptions are the Markdown export settings from the configuration.
func (a *app) exportOptions() (export.Options, error) {
	opts := export.Options{Policy: a.cfg.Policy(), Location: a.cfg.Location, Zone: config.ZoneName(a.cfg.Location)}
	if a.cfg.ExportTemplate != "" {
		t, err := export.LoadTemplate(a.cfg.ExportTemplate)
		if err != nil {
			return opts, err
		}
		opts.Template = t
	}
	return opts, nil
}

// countOf renders "1 incident", "2 incidents".
func countOf(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// unwrapPathErr drops the path and operation an *os.PathError repeats, for
// messages that already name the file.
func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
