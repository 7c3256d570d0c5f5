package notify

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"
)

// A holder killed and not yet reaped by its parent (a zombie) sends
// nothing more: its lease is over at once, as for one that is gone.
func TestKilledUnreapedOwnerIsGone(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	start, ok := procStart(pid)
	if !ok {
		t.Fatal("cannot read the child's start time")
	}
	host, _ := os.Hostname()
	tok := fmt.Sprintf("%s/%d/%d", host, pid, start)
	if ownerGone(tok) {
		t.Fatal("a running holder is taken for gone")
	}
	_ = cmd.Process.Kill() // not waited for: a zombie until Wait
	deadline := time.Now().Add(5 * time.Second)
	for !ownerGone(tok) {
		if time.Now().After(deadline) {
			t.Fatal("a killed, unreaped holder still holds its lease")
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = cmd.Wait()
}
