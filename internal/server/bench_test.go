package server

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// BenchmarkRoomDelivery is the war room at team scale: N teammates over
// SSH (in-process clients with a pty, on loopback) each type one line at
// about the same moment, and the time from each Enter to that line showing
// on every other session's screen is measured from the bytes each session
// is sent. With one session, its own screen is the one measured.
//
// Reported per sub-benchmark: median-ms and worst-ms over every (line,
// screen) pair of every round; cpu-ms/session, the process's CPU time per
// round per session (the clients run in the same process, so this is an
// upper bound on the server's); heap-KB/session, the heap the connected
// sessions hold; KB-sent/session, what each screen was sent per round. The
// goal for 50 sessions (100 is reported too) is a median within 200 ms and
// a worst within 1 s (docs/performance.md has the figures). Run with
//
//	go test ./internal/server/ -run '^$' -bench RoomDelivery -benchtime 10x
func BenchmarkRoomDelivery(b *testing.B) {
	for _, n := range []int{1, 5, 20, 50, 100} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) { benchRoom(b, n) })
	}
}

// benchRows is the benchmark's terminal height: 40 as in the tmux tests,
// and more when a round's lines would not all fit in the timeline (so none
// can scroll past unseen).
func benchRows(n int) int { return max(40, n+35) }

func benchRoom(b *testing.B, n int) {
	keys := make([]keypair, n)
	for i := range keys {
		keys[i] = newKey(b, fmt.Sprintf("mate%d@laptop", i))
	}
	// The poll is left at its default: the broadcast is what is measured.
	wr := startWarRoomFiles(b, keyLines(keys), "", func(s *Server) { s.opts.PollEvery = 0 })
	heapBefore := heapInUse()
	clients := make([]*benchClient, n)
	for i, k := range keys {
		c, err := dialBench(wr.addr, k, i, benchRows(n))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(c.close)
		clients[i] = c
	}
	for _, c := range clients {
		c.waitReady(b)
	}
	heap := float64(heapInUse()-heapBefore) / 1024 / float64(n)
	if heap < 0 {
		heap = 0 // the collector gave back more than the sessions took
	}

	var lat []time.Duration
	sentBefore := 0
	for _, c := range clients {
		c.mu.Lock()
		sentBefore += c.sent
		c.mu.Unlock()
	}
	cpuBefore := cpuTime()
	round := 0
	for b.Loop() {
		round++
		for _, c := range clients {
			c.expect(round, n)
		}
		sent := make([]time.Time, n)
		var start, wg sync.WaitGroup
		start.Add(1)
		for i, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				start.Wait()
				sent[i] = time.Now()
				if _, err := c.in.Write([]byte(fmt.Sprintf("!wrb%d-%d. restarted the payments workers\r", round, i))); err != nil {
					b.Error(err)
				}
			}()
		}
		start.Done()
		wg.Wait()
		for ci, c := range clients {
			seen := c.waitRound(b)
			for sender, at := range seen {
				if sender == ci && n > 1 {
					continue
				}
				lat = append(lat, at.Sub(sent[sender]))
			}
		}
	}
	cpu := cpuTime() - cpuBefore
	sent := -sentBefore
	for _, c := range clients {
		c.mu.Lock()
		sent += c.sent
		c.mu.Unlock()
	}
	slices.Sort(lat)
	if len(lat) == 0 {
		b.Fatal("nothing measured")
	}
	b.ReportMetric(float64(lat[len(lat)/2])/float64(time.Millisecond), "median-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/float64(time.Millisecond), "worst-ms")
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(round)/float64(n), "cpu-ms/session")
	b.ReportMetric(heap, "heap-KB/session")
	// What each screen was sent per round: the drawing a session does
	// for the others' lines, which the CPU figure follows.
	b.ReportMetric(float64(sent)/1024/float64(round)/float64(n), "KB-sent/session")
	b.ReportMetric(0, "ns/op") // a round's wall time says nothing the above do not
}

// benchClient is one teammate's SSH session, noting when each line of the
// current round first shows in its timeline.
type benchClient struct {
	in    interface{ Write([]byte) (int, error) }
	close func()

	mu    sync.Mutex
	sent  int    // bytes the session was sent
	tail  []byte // the end of what was sent so far, for a marker split across writes
	ready bool
	round int
	seen  map[int]time.Time // sender -> first shown
	want  int
	done  chan struct{}
	rdy   chan struct{}
}

func dialBench(addr string, key keypair, i, rows int) (*benchClient, error) {
	client, err := connect(addr, fmt.Sprintf("mate%d", i), key)
	if err != nil {
		return nil, err
	}
	sess, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, err
	}
	c := &benchClient{rdy: make(chan struct{})}
	sess.Stdout = c
	stdin, err := sess.StdinPipe()
	if err != nil {
		client.Close()
		return nil, err
	}
	c.in = stdin
	if err := sess.RequestPty("xterm-256color", rows, 120, gossh.TerminalModes{}); err != nil {
		client.Close()
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		client.Close()
		return nil, err
	}
	_, _ = stdin.Write([]byte("\x1b]11;rgb:1c1c/1c1c/1c1c\x07\x1b[?62;22c"))
	c.close = func() { sess.Close(); client.Close() }
	return c, nil
}

var (
	benchMarker = []byte("wrb")
	benchTitle  = []byte("Checkout failing")
)

// Write scans what the session is sent for markers "wrb<round>-<sender>."
// in the timeline. The capture line echoes what is typed with its leading
// "!", which tells the echo from the timeline's copy.
func (c *benchClient) Write(p []byte) (int, error) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent += len(p)
	buf := append(c.tail, p...)
	if !c.ready && bytes.Contains(buf, benchTitle) {
		c.ready = true
		close(c.rdy)
	}
	for off := 0; ; {
		i := bytes.Index(buf[off:], benchMarker)
		if i < 0 {
			break
		}
		i += off
		off = i + len(benchMarker)
		round, sender, ok := parseMarker(buf[off:])
		if !ok || (i > 0 && buf[i-1] == '!') {
			continue
		}
		if c.seen != nil && round == c.round {
			if _, dup := c.seen[sender]; !dup {
				c.seen[sender] = now
				if len(c.seen) == c.want {
					close(c.done)
				}
			}
		}
	}
	keep := min(len(buf), 32)
	c.tail = append(c.tail[:0], buf[len(buf)-keep:]...)
	return len(p), nil
}

// parseMarker reads "<round>-<sender>." at the start of b.
func parseMarker(b []byte) (round, sender int, ok bool) {
	dash := bytes.IndexByte(b, '-')
	dot := bytes.IndexByte(b, '.')
	if dash <= 0 || dot <= dash+1 || dot > 16 {
		return 0, 0, false
	}
	r, err1 := strconv.Atoi(string(b[:dash]))
	s, err2 := strconv.Atoi(string(b[dash+1 : dot]))
	return r, s, err1 == nil && err2 == nil
}

func (c *benchClient) waitReady(b *testing.B) {
	select {
	case <-c.rdy:
	case <-time.After(30 * time.Second):
		b.Fatal("a session never showed the incident")
	}
}

// expect starts a round in which n lines are to be seen.
func (c *benchClient) expect(round, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.round, c.want, c.seen, c.done = round, n, map[int]time.Time{}, make(chan struct{})
}

// waitRound waits for every line of the round and returns when each showed.
func (c *benchClient) waitRound(b *testing.B) map[int]time.Time {
	c.mu.Lock()
	done := c.done
	c.mu.Unlock()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		c.mu.Lock()
		defer c.mu.Unlock()
		b.Fatalf("a session saw %d of the round's %d lines", len(c.seen), c.want)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen
}

// heapInUse is the live heap after a collection, signed so that a
// difference of two can be below zero.
func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
