//go:build linux

package nsengine

import (
	"strconv"
	"strings"
	"testing"

	"github.com/nslab/nslab/nsstate"
)

// The first process of every lab, cold or from the warm pool, has
// nsstate.LabFirstPID, the next one follows, and init's threads lie
// below it.
func TestFirstPID(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{{"cold", Config{}}, {"warm", Config{Warm: 1}}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEngine(t, tc.cfg)
			if tc.cfg.Warm > 0 {
				waitWarm(t, e, 1)
			}
			for i := range 2 {
				l := spawn(t, e)
				out, status := run(t, l, `echo $$; sh -c 'echo $$'; ls /proc/1/task`)
				if status != 0 {
					t.Fatalf("lab %d: status %d: %s", i, status, out)
				}
				f := strings.Fields(out)
				want := []string{strconv.Itoa(nsstate.LabFirstPID), strconv.Itoa(nsstate.LabFirstPID + 1)}
				if len(f) < 3 || f[0] != want[0] || f[1] != want[1] {
					t.Fatalf("lab %d: first PIDs and init's threads %q, want %v first", i, out, want)
				}
				for _, s := range f[2:] {
					if tid, err := strconv.Atoi(s); err != nil || tid >= nsstate.LabFirstPID {
						t.Errorf("lab %d: init has thread %q, want below %d", i, s, nsstate.LabFirstPID)
					}
				}
				l.Close()
			}
		})
	}
}
