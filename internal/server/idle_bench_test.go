package server

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkIdleRoom is a war room nobody types in: N sessions connected
// and showing the incident, and the process's CPU time (getrusage: the
// in-process clients included, so an upper bound on the server's) over an
// idle window, reported as a share of one core. Every second still brings
// the header's running clock to each screen; nothing else should cost
// anything (no presence writes, no redraws of what did not change). Each
// iteration is one window of idleWindow; sessions=0 is the floor (the
// server listening, nobody connected). Run with
//
//	go test ./internal/server/ -run '^$' -bench IdleRoom -benchtime 1x
func BenchmarkIdleRoom(b *testing.B) {
	for _, n := range []int{0, 1, 20} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			// One key at least: a server with none refuses to start.
			keys := make([]keypair, max(n, 1))
			for i := range keys {
				keys[i] = newKey(b, fmt.Sprintf("mate%d@laptop", i))
			}
			// The poll at its default, as warroom serve runs.
			wr := startWarRoomFiles(b, keyLines(keys), "", func(s *Server) { s.opts.PollEvery = 0 })
			for i, k := range keys[:n] {
				c, err := dialBench(wr.addr, k, i, 40)
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(c.close)
				c.waitReady(b)
			}
			// Let the first reads, presence records and frames settle.
			time.Sleep(3 * time.Second)
			var cpu, wall time.Duration
			for b.Loop() {
				c0, w0 := cpuTime(), time.Now()
				time.Sleep(idleWindow)
				cpu += cpuTime() - c0
				wall += time.Since(w0)
			}
			b.ReportMetric(100*float64(cpu)/float64(wall), "%-of-a-core")
			if n > 0 {
				b.ReportMetric(float64(cpu)/float64(time.Millisecond)/wall.Seconds()/float64(n), "cpu-ms/s/session")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

// idleWindow is how long one iteration of BenchmarkIdleRoom watches.
const idleWindow = 10 * time.Second
