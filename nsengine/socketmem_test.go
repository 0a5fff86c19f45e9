//go:build linux

package nsengine

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// sockstatMem reads the pages the whole machine's sockets of proto ("TCP",
// "UDP") hold, from /proc/net/sockstat: the kernel counts them for every
// network namespace together.
func sockstatMem(t *testing.T, proto string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/net/sockstat")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != proto+":" {
			continue
		}
		for i := 1; i+1 < len(f); i++ {
			if f[i] == "mem" {
				n, err := strconv.ParseInt(f[i+1], 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				return n * int64(os.Getpagesize())
			}
		}
	}
	t.Fatalf("no %s mem in /proc/net/sockstat: %q", proto, b)
	return 0
}

// Escape tried: hold the machine's socket memory in buffers that the
// lab's memory limit does not see (on cgroup v1 the kernel charges
// socket buffers to a cgroup only when told to), until the machine's
// tcp_mem or udp_mem is reached and every socket of the machine, the
// server's websockets included, stalls. Loopback pairs with full
// buffers that are never read, first TCP, then UDP with receive buffers
// forced past net.core.rmem_max (the lab's root may, in its own network
// namespace).
func TestAttackSocketBuffers(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	bound := labSocketMemory(e.cfg.Limits)
	if l.cg.v2 { // sockets count in memory.max with everything else
		bound = e.cfg.Limits.MemoryBytes
	}
	for _, c := range []struct {
		proto, op string
		pairs     int
		forced    int64 // what the kernel may hold per pair beyond the limit
	}{
		{"TCP", "tcpfill", 400, tcpForcedPerPair},
		// UDP forces nothing; 1500 pairs of 200 KiB buffers (the machine's
		// net.core.rmem_default) outgrow the bound.
		{"UDP", "udpfill", 1500, 0},
	} {
		before := sockstatMem(t, c.proto)
		queued, p := holdInLab(t, l, fmt.Sprintf("%s=1 exec /proc/self/fd/0 %s %d 60", attackHelperEnv, c.op, c.pairs))
		held := sockstatMem(t, c.proto) - before
		t.Logf("%s: the lab wrote %d MiB into %d pairs; the machine's %s sockets hold %d MiB more (bound %d MiB); charged: %s",
			c.proto, queued>>20, c.pairs, c.proto, held>>20, bound>>20, socketCharge(l))
		if held > bound+int64(c.pairs)*c.forced+socketSlack {
			t.Errorf("ATTACK WORKED: the lab holds %d MiB of %s socket buffers in %d pairs, more than its %d MiB and what the kernel forces per pair",
				held>>20, c.proto, c.pairs, bound>>20)
		}
		p.Signal(syscall.SIGKILL)
		p.Wait()
	}
	afterAttack(t, e, other)
}

// tcpForcedPerPair is what the kernel lets a TCP connection hold beyond
// a cgroup's limit: one packet on each side (at most 64 KiB on loopback), so
// that a connection makes progress. Measured: about 7 KiB per connection
// on average (15000 connections of one lab, 165 MiB in all).
const tcpForcedPerPair = 128 << 10

// socketSlack is what the kernel may hold beyond a lab's socket memory
// bound: per-socket reserves it grants without charging, and the other
// sockets of a busy machine.
const socketSlack = 16 << 20

// socketCharge says what the lab's memory cgroup is charged for sockets.
func socketCharge(l *Lab) string {
	for _, d := range l.cg.dirs {
		for _, f := range []string{"memory.kmem.tcp.usage_in_bytes", "memory.kmem.tcp.max_usage_in_bytes"} {
			if b, err := os.ReadFile(filepath.Join(d, f)); err == nil {
				return f + " " + strings.TrimSpace(string(b))
			}
		}
	}
	return "(v2: in memory.current)"
}
