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

	"github.com/warroom-cli/warroom/internal/incident"
)

// BenchmarkRoomDelivery is the war room at team scale: N teammates over
// SSH (in-process clients with a pty, on loopback) each type one line at
// about the same moment, and the time from each Enter to that line showing
// on every other session's screen is measured from the bytes each session
// is sent. With one session, its own screen is the one measured.
//
// The incident starts with a timeline taller than any screen (benchFill
// entries), so every case is in the steady state a room lives in, where
// each new line scrolls the pane; and warmUpRounds rounds run before the
// measure, so the first line after opening (BenchmarkFirstLineAfterOpen's
// subject) is not counted in one case and spread thin in another.
//
// Reported per sub-benchmark: median-ms and worst-ms over every (line,
// screen) pair of every round; cpu-ms/session, the process's CPU time per
// round per session (the clients run in the same process, so this is an
// upper bound on the server's); heap-KB/session, the heap the connected
// sessions hold; KB-sent/session, what each screen was sent per round.
// With more than one session, the same run also measures one session
// alone on a terminal of the same size (baselineRounds rounds) and reports
// cpu-vs-one, the room's CPU per session per round over that baseline's:
// what each session pays for the others' lines. The goals for 50 sessions
// (100 is reported too): a median within 200 ms, a worst within 1 s and a
// cpu-vs-one within 2 (docs/performance.md has the figures). Run with
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

const (
	// benchFill is how many entries the incident holds before anyone
	// connects: more rows than the tallest benchmark terminal.
	benchFill = 160
	// warmUpRounds run before CPU and latency are measured.
	warmUpRounds = 3
	// baselineRounds is how many rounds the one-session baseline runs:
	// enough that a second's clock tick or a collection is spread thin.
	baselineRounds = 200
)

func benchRoom(b *testing.B, n int) {
	rows := benchRows(n)
	// The baseline first, one session alone on the same terminal with
	// the same fill, closed and collected before the room connects, so
	// that neither run pays for the other.
	soloPerRound := 0.0
	if n > 1 {
		solo := openBenchRoom(b, 1, rows)
		for range warmUpRounds {
			solo.round(b)
		}
		runtime.GC()
		before := cpuTime()
		for range baselineRounds {
			solo.round(b)
		}
		soloPerRound = float64(cpuTime()-before) / float64(time.Millisecond) / baselineRounds
		solo.close()
		settle()
	}

	room := openBenchRoom(b, n, rows)
	heap := room.heapKB / float64(n)
	for range warmUpRounds {
		room.round(b)
	}
	runtime.GC()
	var lat []time.Duration
	sentBefore := room.sent()
	cpuBefore := cpuTime()
	rounds := 0
	for b.Loop() {
		rounds++
		lat = append(lat, room.round(b)...)
	}
	cpu := cpuTime() - cpuBefore
	sent := room.sent() - sentBefore
	slices.Sort(lat)
	if len(lat) == 0 {
		b.Fatal("nothing measured")
	}
	perSession := float64(cpu) / float64(time.Millisecond) / float64(rounds) / float64(n)
	b.ReportMetric(float64(lat[len(lat)/2])/float64(time.Millisecond), "median-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/float64(time.Millisecond), "worst-ms")
	b.ReportMetric(perSession, "cpu-ms/session")
	b.ReportMetric(heap, "heap-KB/session")
	// What each screen was sent per round: the drawing a session does
	// for the others' lines, which the CPU figure follows.
	b.ReportMetric(float64(sent)/1024/float64(rounds)/float64(n), "KB-sent/session")
	if n > 1 {
		b.ReportMetric(perSession/soloPerRound, "cpu-vs-one")
	}
	b.ReportMetric(0, "ns/op") // a round's wall time says nothing the above do not
}

// settle lets sessions that were closed end (they save as they go) and
// collects what they held.
func settle() {
	time.Sleep(500 * time.Millisecond)
	runtime.GC()
}

// benchRoomState is one benchmark war room: a served incident and its
// connected teammates.
type benchRoomState struct {
	clients []*benchClient
	rounds  int
	heapKB  float64 // live heap the sessions added once connected
	close   func()
}

// openBenchRoom serves a filled incident and connects n sessions to it on
// terminals of the given height, returning once each shows the incident.
func openBenchRoom(b *testing.B, n, rows int) *benchRoomState {
	keys := make([]keypair, n)
	for i := range keys {
		keys[i] = newKey(b, fmt.Sprintf("mate%d@laptop", i))
	}
	// The poll is left at its default: the broadcast is what is measured.
	wr := startWarRoomFiles(b, keyLines(keys), "", func(s *Server) { s.opts.PollEvery = 0 })
	at := time.Now().Add(-time.Hour)
	for i := range benchFill {
		e := incident.Entry{At: at, RecordedAt: at, Author: "setup", Kind: incident.KindNote,
			Text: fmt.Sprintf("fill %d: the payments workers were restarted and checked", i)}
		if _, err := wr.st.AppendEntry(wr.id, e); err != nil {
			b.Fatal(err)
		}
		at = at.Add(time.Second)
	}
	heapBefore := heapInUse()
	room := &benchRoomState{clients: make([]*benchClient, n)}
	for i, k := range keys {
		c, err := dialBench(wr.addr, k, i, rows)
		if err != nil {
			b.Fatal(err)
		}
		room.clients[i] = c
	}
	var once sync.Once
	room.close = func() {
		once.Do(func() {
			for _, c := range room.clients {
				c.close()
			}
		})
	}
	b.Cleanup(room.close)
	for _, c := range room.clients {
		c.waitReady(b)
	}
	// The collector may give back more than the sessions took.
	room.heapKB = max(0, float64(heapInUse()-heapBefore)/1024)
	return room
}

// round has every session type one line at about the same moment, waits
// until every screen shows every line, and returns each (line, screen)
// delay: from the line's Enter to its first showing on another's screen
// (with one session, its own).
func (r *benchRoomState) round(b *testing.B) []time.Duration {
	r.rounds++
	round, n := r.rounds, len(r.clients)
	for _, c := range r.clients {
		c.expect(round, n)
	}
	sent := make([]time.Time, n)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i, c := range r.clients {
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
	var lat []time.Duration
	for ci, c := range r.clients {
		seen := c.waitRound(b)
		for sender, at := range seen {
			if sender == ci && n > 1 {
				continue
			}
			lat = append(lat, at.Sub(sent[sender]))
		}
	}
	return lat
}

// sent is what every session has been sent so far.
func (r *benchRoomState) sent() int {
	total := 0
	for _, c := range r.clients {
		c.mu.Lock()
		total += c.sent
		c.mu.Unlock()
	}
	return total
}

// benchClient is one teammate's SSH session, noting when each line of the
// current round first shows in its timeline.
type benchClient struct {
	in    interface{ Write([]byte) (int, error) }
	close func()

	mu    sync.Mutex
	sent  int    // bytes the session was sent
	tail  []byte // the end of what was sent so far, for a marker split across writes
	buf   []byte // tail and the write being scanned
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
	// One buffer for the client's life: the clients run in the benchmark's
	// process, and a new one per write was garbage the server's figure paid for.
	c.buf = append(append(c.buf[:0], c.tail...), p...)
	buf := c.buf
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
