package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/charmbracelet/log"
	"github.com/spf13/cobra"

	"github.com/warroom-cli/warroom/internal/receiver"
	"github.com/warroom-cli/warroom/internal/server"
)

// shutdownGrace bounds how long SIGTERM waits for the sessions to save
// what their teammates had typed.
const shutdownGrace = 10 * time.Second

func newServeCmd(a *app) *cobra.Command {
	var listen, authorized, viewers, hostKey, alerts string
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
as command=) stops serve with the line that has it.

Each connection and disconnection is logged to stderr (key name, address, team or
viewer). ctrl+c, SIGTERM or SIGHUP ends every session as its teammate's own quit would,
saving half-typed lines, drafts and forms, then stops; a second one stops at once.
A client's TZ (ssh -o SendEnv=TZ) sets that session's time zone, else the server's.

--alerts ADDR also serves the alert receiver (see warroom receive) on ADDR, so one
process holds the room and takes alerts in.`,
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
			logger := log.NewWithOptions(a.stderr, log.Options{ReportTimestamp: true, Prefix: "warroom serve"})
			srv, err := server.New(server.Options{Store: st, Config: a.cfg, Now: a.now, AuthorizedKeys: authorized, ViewerKeys: viewers, HostKey: hostKey, Log: logger})
			if err != nil {
				return err
			}
			var alertL net.Listener
			var alertH http.Handler
			if alerts != "" {
				if alertH, err = a.alertHandler(st, log.NewWithOptions(a.stderr, log.Options{ReportTimestamp: true, Prefix: "warroom alerts"})); err != nil {
					return err
				}
				if alertL, err = net.Listen("tcp", alerts); err != nil {
					return fmt.Errorf("cannot listen for alerts on %s (%v); choose another address with --alerts", alerts, err)
				}
			}
			l, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("cannot listen on %s (%v); choose another address with --listen", listen, err)
			}
			printf(a.stdout, "warroom war room on ssh://%s (database %s); ctrl+c stops it\n", l.Addr(), st.Path())
			alertsDone := make(chan error, 1)
			alertsCtx, stopAlerts := context.WithCancel(context.Background())
			defer stopAlerts()
			if alertL != nil {
				printf(a.stdout, "warroom alert receiver on http://%s/alerts/\n", alertL.Addr())
				go func() { alertsDone <- receiver.Serve(alertsCtx, alertL, alertH, shutdownGrace) }()
			} else {
				alertsDone <- nil
			}
			stop := make(chan os.Signal, 2)
			signal.Notify(stop, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer signal.Stop(stop)
			stopped := make(chan struct{})
			go func() {
				defer close(stopped)
				<-stop
				// Every session saves what its teammate had typed
				// before the connections close; a second signal, or
				// sessions that take longer than shutdownGrace, are
				// dropped without waiting.
				stopAlerts()
				ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
				defer cancel()
				go func() {
					select {
					case <-stop:
						cancel()
					case <-ctx.Done():
					}
				}()
				if err := srv.Shutdown(ctx); err != nil {
					logger.Warn("sessions dropped before they had saved", "err", err)
				}
			}()
			err = srv.Serve(l)
			if err == nil {
				// Serve returns as the listener closes; the sessions
				// may still be saving.
				<-stopped
			}
			stopAlerts()
			if aerr := <-alertsDone; err == nil {
				err = aerr
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:2323", "address to listen on")
	f.StringVar(&authorized, "authorized-keys", "", "authorized_keys file of the team (full cockpit)")
	f.StringVar(&viewers, "viewer-keys", "", "authorized_keys file of stakeholders (read-only view)")
	f.StringVar(&hostKey, "host-key", "", "host private key, created if missing (default beside the database)")
	f.StringVar(&alerts, "alerts", "", "also serve the alert receiver on this address (see warroom receive)")
	return cmd
}
