package server

import (
	"runtime"
	"testing"
)

func BenchmarkScratchSolo(b *testing.B) {
	solo := openBenchRoom(b, 1, 85)
	for range warmUpRounds {
		solo.round(b)
	}
	runtime.GC()
	before := cpuTime()
	n := 0
	for b.Loop() {
		solo.round(b)
		n++
	}
	b.ReportMetric(float64(cpuTime()-before)/1e6/float64(n), "cpu-ms/round")
}

func BenchmarkScratchRoom50(b *testing.B) {
	room := openBenchRoom(b, 50, benchRows(50))
	for range warmUpRounds {
		room.round(b)
	}
	runtime.GC()
	before := cpuTime()
	n := 0
	for b.Loop() {
		room.round(b)
		n++
	}
	b.ReportMetric(float64(cpuTime()-before)/1e6/float64(n)/50, "cpu-ms/session")
}
