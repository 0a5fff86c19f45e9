//go:build linux

package nsengine

import (
	"strings"
	"testing"
	"time"
)

// Escape tried: the inspector opens the nsfs files that pin a namespace
// no process is in, by their mount point inside the lab. The lab binds a
// FIFO over such a mount point (mountinfo still lists the nsfs mount
// below it), so that a plain open(2) of the path blocks for ever, waiting
// for a writer: every later snapshot of the lab, and the server goroutine
// serving it, would hang. The inspector opens a pin as a path only
// (O_PATH, inside the lab's root) and reads it only once it is an nsfs
// file of the expected inode (inspect's reopenChecked).
func TestAttackPinnedFIFO(t *testing.T) {
	e, attacker, neighbour := attackLabs(t, Config{})
	out := runAttack(t, attacker, `set -e
mkfifo /tmp/fifo
touch /tmp/pin
unshare --net=/tmp/pin true
mount --bind /tmp/fifo /tmp/pin
grep -c ' /tmp/pin ' /proc/self/mountinfo`)
	if !strings.HasSuffix(out, "2") {
		t.Fatalf("the lab could not set the attack up: %s", out)
	}
	done := make(chan error, 1)
	go func() {
		_, err := attacker.Snapshot()
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("snapshot of the attacker: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("ATTACK WORKED: a snapshot of the lab did not return in 20 s (blocked opening a FIFO)")
	}
	afterAttack(t, e, neighbour)
}
