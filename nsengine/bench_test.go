//go:build linux

package nsengine

import (
	"context"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/nslab/nslab/internal/testenv"
)

// Lab start is measured against the cheapest equivalent made with
// util-linux: unshare with the same namespaces, running true. Target:
// median lab start ≤ 1.5 × median UnshareBaseline. All report median-ns;
// BenchmarkLabStartRatio runs both in one loop and reports their ratio:
//
//	go test -run '^$' -bench 'LabStart|UnshareBaseline' -count 5 ./nsengine

// BenchmarkLabStart spawns a lab, runs true in it and waits for it. The
// teardown (Close) runs with the timer stopped and is reported apart as
// close-median-ns.
func BenchmarkLabStart(b *testing.B) {
	e := newTestEngine(b, Config{})
	var starts, closes []time.Duration
	for b.Loop() {
		l, took := labStart(b, e)
		starts = append(starts, took)
		b.StopTimer()
		t1 := time.Now()
		if err := l.Close(); err != nil {
			b.Fatal(err)
		}
		closes = append(closes, time.Since(t1))
		b.StartTimer()
	}
	b.ReportMetric(median(starts), "median-ns")
	b.ReportMetric(median(closes), "close-median-ns")
}

// BenchmarkLabStartWarm is BenchmarkLabStart with a warm pool of one lab,
// as a server would run: each Spawn finds a ready lab. The refill of the
// pool, like Close, runs with the timer stopped; it is what
// BenchmarkLabStart measures.
func BenchmarkLabStartWarm(b *testing.B) {
	e := newTestEngine(b, Config{Warm: 1})
	var starts []time.Duration
	for b.Loop() {
		b.StopTimer()
		waitWarm(b, e, 1)
		b.StartTimer()
		l, took := labStart(b, e)
		starts = append(starts, took)
		b.StopTimer()
		if err := l.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(median(starts), "median-ns")
}

// BenchmarkLabStartRatio alternates a cold lab start (as in
// BenchmarkLabStart) with the util-linux baseline (as in
// BenchmarkUnshareBaseline) in one loop, so that both see the same machine
// at the same moments, and reports the ratio of their medians: the figure
// the target (≤ 1.5) is about. Its warm case measures a lab taken from a
// warm pool of one, as `nslab serve` runs.
func BenchmarkLabStartRatio(b *testing.B) {
	for _, warm := range []int{0, 1} {
		name := "cold"
		if warm > 0 {
			name = "warm"
		}
		b.Run(name, func(b *testing.B) {
			path := testenv.RequireCommand(b, "unshare", "util-linux")
			e := newTestEngine(b, Config{Warm: warm})
			var labs, bases []time.Duration
			for b.Loop() {
				if warm > 0 {
					waitWarm(b, e, warm)
				}
				l, took := labStart(b, e)
				labs = append(labs, took)
				if err := l.Close(); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if out, err := exec.Command(path, "-Urpmiunf", "--mount-proc", "true").CombinedOutput(); err != nil {
					b.Fatalf("unshare: %v: %s", err, out)
				}
				bases = append(bases, time.Since(t1))
			}
			b.ReportMetric(median(labs), "lab-median-ns")
			b.ReportMetric(median(bases), "unshare-median-ns")
			b.ReportMetric(median(labs)/median(bases), "ratio")
		})
	}
}

// BenchmarkUnshareBaseline runs `unshare -Urpmiunf --mount-proc true`: new
// user, pid, mount, ipc, uts and net namespaces and a proc mount.
func BenchmarkUnshareBaseline(b *testing.B) {
	path := testenv.RequireCommand(b, "unshare", "util-linux")
	var runs []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if out, err := exec.Command(path, "-Urpmiunf", "--mount-proc", "true").CombinedOutput(); err != nil {
			b.Fatalf("unshare: %v: %s", err, out)
		}
		runs = append(runs, time.Since(t0))
	}
	b.ReportMetric(median(runs), "median-ns")
}

// labStart spawns a lab, runs true in it and waits for it: a lab start as
// the targets count it. It returns the lab, still running, and the time.
func labStart(b *testing.B, e *Engine) (*Lab, time.Duration) {
	ctx := context.Background()
	t0 := time.Now()
	l, err := e.Spawn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	p, err := l.Start(ctx, ProcSpec{Argv: []string{"true"}})
	if err != nil {
		b.Fatal(err)
	}
	if status, err := p.Wait(); status != 0 || err != nil {
		b.Fatalf("true: %d, %v", status, err)
	}
	return l, time.Since(t0)
}

func median(d []time.Duration) float64 {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[len(s)/2])
}

// BenchmarkStartInLab starts true in one running lab and waits for it: the
// cost of Lab.Start itself.
func BenchmarkStartInLab(b *testing.B) {
	e := newTestEngine(b, Config{})
	l := spawn(b, e)
	ctx := context.Background()
	var runs []time.Duration
	for b.Loop() {
		t0 := time.Now()
		p, err := l.Start(ctx, ProcSpec{Argv: []string{"true"}})
		if err != nil {
			b.Fatal(err)
		}
		if status, err := p.Wait(); status != 0 || err != nil {
			b.Fatalf("true: %d, %v", status, err)
		}
		runs = append(runs, time.Since(t0))
	}
	b.ReportMetric(median(runs), "median-ns")
}
