//go:build linux

package server

import (
	"syscall"
	"testing"
	"time"
)

// What a lab that forks in a loop costs the server when it is watched
// (state and views, as the page subscribes): readings of its state per
// second (at most stateBurst + 1/stateMinGap, BenchmarkReadBudgetUnderEventFlood)
// and the server's CPU per second of the loop (this process: the server,
// the engine's event reader and the test's client; the lab's processes
// are the lab's).
//
//	go test -run '^$' -bench ForkLoopLab -benchtime 1x ./server
func BenchmarkForkLoopLab(b *testing.B) {
	h := newHarness(b, Limits{})
	lab := h.create()
	c := h.dial(lab)
	c.sendJSON(map[string]any{"type": "subscribe", "state": true, "views": true})
	c.expect("state")
	go func() {
		for range c.msgs { // keep the client reading
		}
	}()
	ss := h.session(lab.ID)
	p, err := ss.lab.Start(ss.ctx, ProcSpec{Argv: []string{"/bin/bash", "-c", "while :; do /bin/true; done"}})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { p.Signal(syscall.SIGKILL); p.Wait() }()
	time.Sleep(500 * time.Millisecond)
	const period = 3 * time.Second
	b.ResetTimer()
	for range b.N {
		var before, after syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &before)
		reads := ss.cache.reads.Load()
		time.Sleep(period)
		syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		cpu := time.Duration(after.Utime.Nano()+after.Stime.Nano()-before.Utime.Nano()-before.Stime.Nano()) * time.Nanosecond
		b.ReportMetric(float64(ss.cache.reads.Load()-reads)/period.Seconds(), "reads/s")
		b.ReportMetric(cpu.Seconds()/period.Seconds()*1000, "server-CPU-ms/s")
	}
}
