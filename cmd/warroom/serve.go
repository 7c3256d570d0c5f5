package main

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/server"
)

func newServeCmd(a *app) *cobra.Command {
	var listen, authorized, viewers, hostKey string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the shared war room over SSH",
		Long: `Serve the cockpit over SSH on one database: every teammate runs ssh -p 2323 HOST and
gets the same live incident, and each entry carries the author named in their key's
comment (amara@laptop writes as amara; a key without a comment writes as key- and the
first 8 characters of its SHA256 fingerprint, whatever user name ssh sends). Keys not
listed are refused. Keys in --viewer-keys get a read-only stakeholder view (header,
status and public updates only); a key may not be in both files.

Key options: from="PATTERN,..." limits a key to client addresses (IPs, CIDR ranges,
globs such as 10.0.*, ! to exclude); restrict,pty and the no-*-forwarding options are
accepted, as the war room offers a terminal and nothing else. Any other option (such
as command=) stops serve with the line that has it.`,
		Example: `  warroom serve --authorized-keys team_keys --viewer-keys stakeholder_keys
  ssh -p 2323 localhost`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if authorized == "" && viewers == "" {
				return fmt.Errorf("no SSH key may connect; pass --authorized-keys FILE with your team's public keys")
			}
			if hostKey == "" {
				hostKey = filepath.Join(filepath.Dir(a.databasePath()), "ssh_host_ed25519")
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			srv, err := server.New(server.Options{Store: st, Config: a.cfg, Now: a.now, AuthorizedKeys: authorized, ViewerKeys: viewers, HostKey: hostKey})
			if err != nil {
				return err
			}
			l, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("cannot listen on %s (%v); choose another address with --listen", listen, err)
			}
			printf(a.stdout, "warroom war room on ssh://%s (database %s); ctrl+c stops it\n", l.Addr(), st.Path())
			stop := make(chan os.Signal, 1)
			signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
			go func() {
				<-stop
				_ = srv.Close()
			}()
			return srv.Serve(l)
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:2323", "address to listen on")
	f.StringVar(&authorized, "authorized-keys", "", "authorized_keys file of the team (full cockpit)")
	f.StringVar(&viewers, "viewer-keys", "", "authorized_keys file of stakeholders (read-only view)")
	f.StringVar(&hostKey, "host-key", "", "host private key, created if missing (default beside the database)")
	return cmd
}
