//go:build linux

package nsengine

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// pinnedFDState fills lab l with what makes the inspector's scan of pins
// (inspect/pins.go) work hardest: 60 network, UTS and IPC namespaces
// pinned by bind mounts, and procs processes that each hold about a
// thousand descriptors of them, opened through the mounts, so that every
// descriptor's link reads as a path and must be stat'ed to be told from
// a file.
func pinnedFDState(tb testing.TB, l *Lab, procs int) {
	tb.Helper()
	out := runAttack(tb, l, `set -e
ulimit -n 1024
mkdir -p /tmp/pins
for i in $(seq 60); do
	touch /tmp/pins/n$i /tmp/pins/u$i /tmp/pins/i$i
	unshare --net=/tmp/pins/n$i --uts=/tmp/pins/u$i --ipc=/tmp/pins/i$i true
done
for i in $(seq 3 1014); do eval "exec $i</tmp/pins/n$(( (i % 60) + 1 ))"; done
for i in $(seq `+strconv.Itoa(procs)+`); do sleep 600 >/dev/null 2>&1 & done
echo "$(grep -c nsfs /proc/self/mountinfo) pins, $(ls /proc/self/fd | wc -l) descriptors"`)
	if !strings.HasSuffix(out, "180 pins, 1016 descriptors") {
		tb.Fatalf("the lab could not set the attack up: %s", out)
	}
}

// BenchmarkSnapshotPinnedFDs is the cost of one snapshot of a lab whose
// 200 processes hold 200,000 descriptors of pinned namespaces
// (pinnedFDState), against a plain lab: what the scan for pins lets one
// lab cost the server per snapshot.
//
//	go test -run '^$' -bench SnapshotPinnedFDs -benchmem ./nsengine
func BenchmarkSnapshotPinnedFDs(b *testing.B) {
	for _, c := range []struct {
		name  string
		procs int
	}{{"plain", 0}, {"pinned-fds", 200}} {
		b.Run(c.name, func(b *testing.B) {
			e := newTestEngine(b, Config{})
			l := spawn(b, e)
			if c.procs > 0 {
				pinnedFDState(b, l, c.procs)
			}
			b.ReportAllocs()
			size := 0
			for b.Loop() {
				snap, err := l.Snapshot()
				if err != nil {
					b.Fatal(err)
				}
				js, err := json.Marshal(snap)
				if err != nil {
					b.Fatal(err)
				}
				size = len(js)
			}
			b.ReportMetric(float64(size), "json-bytes")
		})
	}
}
