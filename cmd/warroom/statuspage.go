package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/statuspage"
	"github.com/warroom-cli/warroom/internal/store"
)

func newStatusPageCmd(a *app) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "status-page [--dir DIR]",
		Short: "Write the public status page: a static site of the public updates",
		Long: `Status-page writes the public status page into DIR (default: status_page_dir from the
config), a static site any web server, object store or git host can serve, and that
opens from file:// as well:

  index.html              every open incident with its latest update first, and those
                          resolved in the last 30 days
  incidents/NAME.html     one page per incident with all its public updates
  feed.atom               the Atom feed of the updates of the incidents on the index
  status.json             the same for scripts: incidents, status, updates, RFC 3339 times

Only what the public channel said is shown: an incident appears once an update about it
is published, with its title, severity, status and public updates; never the timeline,
roles or retro, and names of people only with status_page.show_names = true. The page
needs no JavaScript and forbids scripts with a Content-Security-Policy.

Only files whose content changed are written, each through a temporary file, so a web
server never serves half a page. With status_page_dir set, every publish (the cockpit,
warroom log /publish, the SSH war room) writes the page again by itself.

Config:
  status_page_dir = "/srv/www/status"
  [status_page]
  org = "Example Ltd"
  logo = "logo.png"       # PNG, JPEG, GIF, WebP or SVG, under 256 KiB
  show_names = false`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				dir = a.cfg.StatusPage.Dir
			}
			if dir == "" {
				return errors.New("status-page needs a directory: give --dir DIR, or set status_page_dir in the config")
			}
			st, err := a.openExisting()
			if err != nil {
				return err
			}
			res, err := statuspage.Generate(st, dir, a.cfg, a.now())
			if res.Warning != nil {
				printf(a.stderr, "warroom: %s\n", firstSentence(res.Warning))
			}
			if err != nil {
				return err
			}
			switch {
			case len(res.Written) == 0 && len(res.Removed) == 0:
				printf(a.stdout, "The status page in %s is up to date (%d files)\n", dir, res.Files)
			default:
				printf(a.stdout, "Wrote the status page to %s: %d of %d files changed", dir, len(res.Written), res.Files)
				if n := len(res.Removed); n > 0 {
					printf(a.stdout, ", %d old incident %s removed", n, map[bool]string{true: "page", false: "pages"}[n == 1])
				}
				printf(a.stdout, "\n")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "folder to write the site into (created if needed; default status_page_dir)")
	return cmd
}

// statusPageAfterPublish is the command line's side of the status page
// hook (statuspage.AfterPublish): it writes the page in the background
// once an update is recorded, and the function it returns waits for that
// and reports a failure on stderr. A failure never fails the command: the
// update is published either way.
func (a *app) statusPageAfterPublish(st *store.Store) (wait func()) {
	if a.cfg.StatusPage.Dir == "" {
		return func() {}
	}
	var res statuspage.Result
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		res, err = statuspage.AfterPublish(st, a.cfg, a.now())
	}()
	return func() {
		<-done
		if res.Warning != nil {
			printf(a.stderr, "warroom: %s\n", firstSentence(res.Warning))
		}
		if err != nil {
			printf(a.stderr, "warroom: %s\n", firstSentence(err))
		}
	}
}

// syncStatusPage is the page warroom sync writes into the repository as
// status/: the configured one, when status_page_dir says there is a page.
func (a *app) syncStatusPage() *statuspage.Options {
	if a.cfg.StatusPage.Dir == "" {
		return nil
	}
	opts, warning := statuspage.OptionsFrom(a.cfg)
	if warning != nil {
		printf(a.stderr, "warroom: %s\n", firstSentence(warning))
	}
	return &opts
}
