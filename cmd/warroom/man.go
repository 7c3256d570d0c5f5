package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd prints the manual page, or writes one per command.
func newManCmd(a *app, root *cobra.Command) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "man",
		Short: "Print the manual page (roff), or write one per command with --dir",
		Long: `Man prints warroom's manual page in roff, generated from the same help as --help, so it
never falls out of date. Install it where man finds it:

  warroom man > ~/.local/share/man/man1/warroom.1

or write a page for every command (warroom.1, warroom-log.1, ...) into a directory:

  warroom man --dir ~/.local/share/man/man1`,
		Example: `  warroom man | man -l -
  sudo warroom man --dir /usr/local/share/man/man1`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			header := &doc.GenManHeader{Title: "WARROOM", Section: "1", Source: "warroom", Manual: "warroom manual"}
			root.DisableAutoGenTag = true
			if dir != "" {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return fmt.Errorf("cannot create %s: %v", dir, err)
				}
				if err := doc.GenManTree(root, header, dir); err != nil {
					return fmt.Errorf("cannot write the manual pages into %s: %v", dir, err)
				}
				matches, _ := filepath.Glob(filepath.Join(dir, "warroom*.1"))
				printf(a.stdout, "Wrote %d manual pages into %s\n", len(matches), dir)
				return nil
			}
			var buf bytes.Buffer
			if err := doc.GenMan(root, header, &buf); err != nil {
				return fmt.Errorf("cannot generate the manual page: %v", err)
			}
			_, err := a.stdout.Write(buf.Bytes())
			return err
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "write one page per command into this directory")
	return cmd
}
