package sim

import (
	"strings"
	"testing"
	"time"
)

func TestRunBounded(t *testing.T) {
	cases := []struct {
		script   string
		status   int
		timedOut bool
	}{
		{"sleep 5; echo slept", 0, false},
		{"exit 3", 3, false},
		{"sleep infinity", 137, true},
		{"sleep 60", 137, true},
		{"while :; do :; done", 137, true},
		{"sleep 1000 & wait", 137, true},
	}
	for _, c := range cases {
		lab := NewLab(Options{})
		var out strings.Builder
		st, to := lab.RunBounded([]string{"sh", "-c", c.script}, nil, &out, &out, 10*time.Second)
		if st != c.status || to != c.timedOut {
			t.Errorf("%q: status %d timed out %v, want %d %v (output %q)", c.script, st, to, c.status, c.timedOut, out.String())
		}
		// What the check started is gone with it.
		for _, p := range lab.Snapshot().Processes {
			if p.Comm == "sleep" {
				t.Errorf("%q: left %s (PID %d) behind", c.script, p.Comm, p.PID)
			}
		}
		lab.Close()
	}
}
