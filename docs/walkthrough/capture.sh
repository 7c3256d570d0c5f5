#!/bin/bash
# capture.sh drives the real program through an incident in tmux, as a
# person would, and writes a text capture of each screen next to itself:
# the screenshots of README.md's "During an incident". Run it from the
# repository root after changing a screen: docs/walkthrough/capture.sh
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'tmux -S "$work/tmux.sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/warroom" ./cmd/warroom
mkdir -p "$work/config/warroom" "$work/exports"
printf 'author = "amara"\nexport_dir = "%s/exports"\ntimezone = "UTC"\n' "$work" > "$work/config/warroom/config.toml"

S=walk
tm() { tmux -S "$work/tmux.sock" "$@"; }
k() { tm send-keys -t $S "$@"; }
t() { tm send-keys -t $S -l "$1"; }
cap() {
	sleep "${2:-0.5}"
	# Trailing spaces and the temporary directory say nothing to a reader.
	tm capture-pane -p -t $S | sed -e 's/[[:space:]]*$//' -e "s|$work|~|g" > "$out/$1"
}
tm new-session -d -s $S -x 100 -y 28 \
	-e WARROOM_DB="$work/warroom.db" -e XDG_CONFIG_HOME="$work/config" -e TERM=xterm-256color "$work/warroom"
sleep 1.2

# Declare.
k C-n; t "Checkout payments failing for EU customers"; k Tab; t 2; k Tab Tab; t jonas
cap 1-declare.txt
k Enter; sleep 0.8

# Capture what happens.
for l in "alerts: checkout error rate 23% in eu-west-1" "!paged payments on-call (dmitri)" \
	"?did anything deploy in the last hour" \
	"web deploy 4512 went out twenty minutes before the alerts and includes the new PSP client" \
	"!rolling back web deploy 4512" "rollback done; error rate unchanged at 22%, so the deploy is not the cause" \
	"*root cause: the PSP rate-limits our EU merchant id since the traffic doubled" \
	"/status identified" "/eta +40m"; do
	t "$l"; k Enter; sleep 0.25
done
t "failover to the secondary PSP is the"
k Tab; t w
cap 2-capture.txt

# Update the stakeholders: D starts /draft; the half-typed line is kept.
t D; t "Card payments fail for some EU customers. We know why and are switching to our backup payment provider."
k Enter; sleep 0.4; k Tab Tab
cap 3-update.txt
t p; sleep 0.6

# Hand over.
t i; k C-u; t ">fail over card payments to the secondary PSP"; k Enter; sleep 0.3
t "/handover dmitri"; k Enter
cap 4-handover.txt 0.8

# Resolve.
t "!failover to secondary PSP done; errors back to baseline"; k Enter; sleep 0.2
t "/mitigated"; k Enter; sleep 0.2
t "/resolved"; k Enter
cap 5-resolve.txt

# Retro.
t "/retro"; k Enter
cap 6-retro.txt 0.8
k Escape; sleep 0.3

# Export: the preview asks where to write.
t "/preview"; k Enter; sleep 1.5
t w
cap 7-export.txt 0.6
k Enter; sleep 0.5
k C-c; sleep 0.5
