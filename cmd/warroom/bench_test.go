package main

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkLogProcess is `warroom log` as a whole process: start-up, config,
// opening the database, one durable entry. Compare with
// BenchmarkShellAppendFsync: the goal is at most 1.3× of it.
//
// Known gap: every Go package linked into the binary runs its init before
// main, and glamour (the Markdown preview) brings chroma, whose lexer and
// style registries parse embedded XML at init for about 12 ms; goldmark and
// bluemonday add about 3 ms more. `GODEBUG=inittrace=1 warroom log x`
// shows it. Our own packages initialise in well under a millisecond (the
// jargon patterns compile on first use) and the write itself is one
// transaction with two fsyncs, as BenchmarkAppendEntry shows.
func BenchmarkLogProcess(b *testing.B) {
	dir := b.TempDir()
	env := append(benchEnv(dir), "WARROOM_DB="+filepath.Join(dir, "bench.db"))
	newCmd := exec.Command(binPath, "new", "bench")
	newCmd.Env = env
	if out, err := newCmd.CombinedOutput(); err != nil {
		b.Fatalf("warroom new: %v\n%s", err, out)
	}
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(binPath, "log", "-i", "1", "restarted the payments workers")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("warroom log: %v\n%s", err, out)
		}
	}
}

// BenchmarkShellAppendFsync is the baseline: a shell appending one line to a
// text file and fsyncing it (coreutils sync FILE calls fsync on it).
func BenchmarkShellAppendFsync(b *testing.B) {
	file := filepath.Join(b.TempDir(), "log.txt")
	for b.Loop() {
		cmd := exec.Command("sh", "-c", `printf '%s\n' "restarted the payments workers" >> "$1" && sync "$1"`, "sh", file)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("sh: %v\n%s", err, out)
		}
	}
}

func benchEnv(dir string) []string {
	return []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "USER=bench", "PATH=/usr/bin:/bin"}
}
