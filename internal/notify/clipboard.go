package notify

import (
	"encoding/base64"
	"io"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// ClipboardTarget is the Delivery.Target of a copy to the clipboard.
const ClipboardTarget = "clipboard"

// OSC52 returns the escape sequence that asks the terminal to put text on
// the system clipboard. It works over SSH, since the terminal, not the host,
// owns the clipboard. Inside tmux the sequence is wrapped for passthrough
// (tmux needs `set -g allow-passthrough on`, or `set-clipboard on`, to let
// it out).
func OSC52(text string, tmux bool) string {
	seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(incident.CleanText(text))) + "\a"
	if !tmux {
		return seq
	}
	// In a DCS passthrough every ESC inside is doubled.
	return "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
}

// Copy writes the OSC 52 sequence for text to w (the terminal, or an SSH
// session) in one write, and returns the delivery to record: copied, or
// failed with why. Inside tmux it writes the sequence both plain (for
// `set-clipboard on`) and wrapped for passthrough.
func Copy(w io.Writer, text string, tmux bool, now time.Time) incident.Delivery {
	d := incident.Delivery{Target: ClipboardTarget, State: incident.DeliveryCopied, Attempts: 1, At: now}
	seq := OSC52(text, false)
	if tmux {
		seq += OSC52(text, true)
	}
	if _, err := io.WriteString(w, seq); err != nil {
		d.State = incident.DeliveryFailed
		d.Error = "could not write to the terminal: " + err.Error()
	}
	return d
}
