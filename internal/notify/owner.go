package notify

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// A lease names its holder as "host/pid/start": the host name, the
// process id and the process's start time in clock ticks since boot (from
// /proc). Another process on the same host then knows the holder is gone
// when no process with that id and start time runs, and need not wait for
// the lease to run out: a cockpit killed right after publishing and opened
// again shows at once that its last try may have arrived. Where /proc is
// missing, or on another host, the lease's time is all there is.

var (
	selfOnce  sync.Once
	selfOwner string
)

// ownerToken names this process, or is "" where it cannot be named.
func ownerToken() string {
	selfOnce.Do(func() {
		host, err := os.Hostname()
		if err != nil {
			return
		}
		start, ok := procStart(os.Getpid())
		if !ok {
			return
		}
		selfOwner = fmt.Sprintf("%s/%d/%d", host, os.Getpid(), start)
	})
	return selfOwner
}

// ownerGone reports that the process named by tok has certainly ended: it
// ran on this host and no process with its id and start time runs now.
func ownerGone(tok string) bool {
	if tok == "" || tok == ownerToken() {
		return false
	}
	parts := strings.Split(tok, "/")
	if len(parts) != 3 {
		return false
	}
	if host, err := os.Hostname(); err != nil || host != parts[0] {
		return false
	}
	pid, err1 := strconv.Atoi(parts[1])
	start, err2 := strconv.ParseUint(parts[2], 10, 64)
	if err1 != nil || err2 != nil || pid <= 0 {
		return false
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		return false // no /proc: nothing can be told
	}
	now, ok := procStart(pid)
	return !ok || now != start
}

// procStart reads a process's start time (field 22 of /proc/PID/stat).
func procStart(pid int) (uint64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(s[i+1:])
	// fields[0] is field 3 (state); the start time is field 22.
	if len(fields) < 20 {
		return 0, false
	}
	if fields[0] == "Z" || fields[0] == "X" {
		// Killed and not yet reaped by its parent: it sends nothing more.
		return 0, false
	}
	v, err := strconv.ParseUint(fields[19], 10, 64)
	return v, err == nil
}
