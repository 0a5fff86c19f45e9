//go:build linux

package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/nslab/nslab/nsengine/inspect"
	"github.com/nslab/nslab/nsstate"
)

// countingEngine is the live engine whose labs count their inspections.
type countingEngine struct {
	Engine
	inspections *atomic.Int64
}

func (e countingEngine) Spawn(ctx context.Context) (Lab, error) {
	l, err := e.Engine.Spawn(ctx)
	if err != nil {
		return nil, err
	}
	return countingLab{l, e.inspections}, nil
}

type countingLab struct {
	Lab
	inspections *atomic.Int64
}

func (l countingLab) Snapshot() (*nsstate.Snapshot, error) {
	l.inspections.Add(1)
	return l.Lab.Snapshot()
}

// newCountingHarness is newHarness whose labs count their inspections in
// the returned counter.
func newCountingHarness(t *testing.T, lim Limits) (*harness, *atomic.Int64) {
	inspections := new(atomic.Int64)
	h := newHarness(t, lim, func(c *Config) { c.Engine = countingEngine{c.Engine, inspections} })
	return h, inspections
}

// getState is GET /api/labs/{id}/state, safe to call from any goroutine.
func (h *harness) getState(lab created) (int, []byte, error) {
	req, err := http.NewRequest("GET", h.url+"/api/labs/"+lab.ID+"/state", nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+lab.Token)
	resp, err := (&http.Client{Timeout: waitLimit}).Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// parallelStates sends n GET /state requests at once and returns the
// bodies; it fails the test unless each is 200.
func (h *harness) parallelStates(lab created, n int) [][]byte {
	h.t.Helper()
	bodies := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			status, b, err := h.getState(lab)
			if err == nil && status != http.StatusOK {
				err = fmt.Errorf("status %d: %.200s", status, b)
			}
			bodies[i], errs[i] = b, err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			h.t.Fatalf("GET /state %d of %d: %v", i+1, n, err)
		}
	}
	return bodies
}

// Parallel requests for a lab's state wait for one inspection and share
// it: N clients cost one reading of the lab, not N.
func TestParallelStateRequestsShareOneInspection(t *testing.T) {
	h, inspections := newCountingHarness(t, Limits{})
	lab := h.create()
	ss := h.session(lab.ID)
	// Hold every inspection token, so that the requests all come while
	// the one inspection waits for its turn; then let it run.
	for range cap(h.srv.snapshots) {
		h.srv.snapshots <- struct{}{}
	}
	before := inspections.Load()
	const n = 12
	var bodies [][]byte
	done := make(chan struct{})
	go func() {
		defer close(done)
		bodies = h.parallelStates(lab, n)
	}()
	waitFor(t, "every request waiting for the lab's inspection", func() bool {
		ss.cache.mu.Lock()
		defer ss.cache.mu.Unlock()
		return ss.cache.waiting == n
	})
	for range cap(h.srv.snapshots) {
		<-h.srv.snapshots
	}
	<-done
	if got := inspections.Load() - before; got != 1 {
		t.Errorf("%d parallel GET /state made %d inspections of the lab, want 1", n, got)
	}
	var snap nsstate.Snapshot
	if err := json.Unmarshal(bodies[0], &snap); err != nil || len(snap.Processes) == 0 {
		t.Fatalf("GET /state: %v in %.200s", err, bodies[0])
	}
	for i, b := range bodies {
		if string(b) != string(bodies[0]) {
			t.Errorf("GET /state %d answered another state than the first", i+1)
		}
	}
}

// Escape tried: a lab of many mount namespaces of long stacked mount
// paths makes GET /state, asked several times at once, take the server's
// memory (the report: 207 MB of JSON per request, the server at 2.4 GB).
// Each answer must be cut to the budget and say so, the requests must
// share their inspections, and a neighbour lab must keep answering.
func TestAttackHugeStateThroughTheServer(t *testing.T) {
	// The set-up makes 250 mounts with as many commands: slow on a busy
	// machine.
	h, inspections := newCountingHarness(t, Limits{ExecTimeout: 2 * waitLimit})
	attacker, neighbour := h.create(), h.create()
	res, status, body := h.execIn(attacker, `set -e
mkdir /tmp/s; mount -t tmpfs s /tmp/s; mount --make-private /tmp/s
d=/tmp/s; for i in $(seq 15); do d=$d/$(printf '%0250d' 0); done; mkdir -p $d
for i in $(seq 250); do mount --bind $d $d; done
for i in $(seq 48); do unshare -m sleep 600 >/dev/null 2>&1 & done
for try in $(seq 300); do
	[ "$(readlink /proc/[0-9]*/ns/mnt 2>/dev/null | sort -u | wc -l)" -gt 48 ] && break
	sleep 0.1
done
echo ready`)
	if status != http.StatusOK || strings.TrimSpace(res.Stdout) != "ready" {
		t.Fatalf("the lab could not set the attack up: %d %s", status, body)
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	first := inspections.Load()
	const n = 8
	bodies := h.parallelStates(attacker, n)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	made := inspections.Load() - first
	t.Logf("%d parallel GET /state: %d bytes each, %d inspections, %d MiB allocated by the server", n, len(bodies[0]), made, alloc>>20)

	budget := inspect.DefaultBudget
	for i, b := range bodies {
		var snap nsstate.Snapshot
		if err := json.Unmarshal(b, &snap); err != nil {
			t.Fatalf("GET /state %d: %v", i+1, err)
		}
		if snap.Truncated == nil || len(snap.Truncated.Cut) == 0 {
			t.Errorf("ATTACK WORKED: GET /state %d answered %d bytes that do not say they are truncated", i+1, len(b))
		}
		if len(b) > budget.JSONBytes+1 {
			t.Errorf("ATTACK WORKED: GET /state %d answered %d bytes, over the budget of %d", i+1, len(b), budget.JSONBytes)
		}
	}
	if made >= n {
		t.Errorf("ATTACK WORKED: %d parallel GET /state made %d inspections", n, made)
	}
	// One inspection of this lab allocates about 20 MiB (TestAttackHugeSnapshot
	// in nsengine); each request alone would be n times that.
	if limit := uint64(n/2) * uint64(4*budget.ReadBytes+4*budget.JSONBytes); alloc > limit {
		t.Errorf("ATTACK WORKED: %d parallel GET /state allocated %d MiB in the server, over %d MiB", n, alloc>>20, limit>>20)
	}

	if res, status, body := h.execIn(neighbour, "echo ok; hostname"); status != http.StatusOK || res.Stdout != "ok\nlab\n" {
		t.Errorf("ATTACK REACHED THE NEIGHBOUR: exec answers %d %s", status, body)
	}
	status, b, err := h.getState(neighbour)
	var snap nsstate.Snapshot
	if err == nil && status == http.StatusOK {
		err = json.Unmarshal(b, &snap)
	}
	if err != nil || status != http.StatusOK || snap.Truncated != nil || len(snap.Processes) == 0 {
		t.Errorf("ATTACK REACHED THE NEIGHBOUR: GET /state answers %d %v, truncated %+v", status, err, snap.Truncated)
	}
}
