//go:build linux

package inspect

import (
	"testing"

	"github.com/nslab/nslab/nsstate"
	"golang.org/x/sys/unix"
)

// lab50 is a lab-like scenario of 50 processes: sleeps in the lab host and
// in nested pid, uts+ipc+net and user+mnt namespaces.
const lab50 = `
for i in $(seq 15); do sleep 1000 & done
unshare -pf --mount-proc sh -c 'for i in $(seq 10); do sleep 1000 & done; wait' &
unshare -uin sh -c 'for i in $(seq 10); do sleep 1000 & done; wait' &
unshare --user --map-root-user -m sh -c 'for i in $(seq 10); do sleep 1000 & done; wait' &
`

// BenchmarkSnapshot50 measures one snapshot of a 50-process lab whose
// PIDs are known, as the engine calls it with the lab's cgroup members.
// Target: at most 5 ms per snapshot.
func BenchmarkSnapshot50(b *testing.B) {
	l := startLab(b, lab50)
	snapshotWhen(b, Options{InitPID: l.init}, func(s *nsstate.Snapshot) bool { return len(s.Processes) == 50 })
	sc := &scan{procfs: "/proc", sp: newSpend(Budget{})}
	if _, err := sc.run(Options{InitPID: l.init}); err != nil {
		b.Fatal(err)
	}
	var pids []int
	for _, p := range sc.procs {
		pids = append(pids, p.real)
	}
	opts := Options{InitPID: l.init, PIDs: pids}
	b.ReportAllocs()
	// CPU time (user and system) per snapshot beside the wall time: on a
	// busy machine it is the steadier figure.
	cpu0 := cpuTime(b)
	for b.Loop() {
		s, err := Snapshot(opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Processes) != 50 {
			b.Fatalf("%d processes, want 50", len(s.Processes))
		}
	}
	b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time this process has used, in nanoseconds.
func cpuTime(b *testing.B) int64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
