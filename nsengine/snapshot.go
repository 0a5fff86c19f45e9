//go:build linux

package nsengine

import (
	"fmt"

	"github.com/nslab/nslab/nsengine/inspect"
	"github.com/nslab/nslab/nsstate"
)

// Snapshot reads the lab's state as the lab host sees it.
func (l *Lab) Snapshot() (*nsstate.Snapshot, error) {
	pids, err := l.PIDs()
	if err != nil {
		return nil, fmt.Errorf("snapshot of %s: %w", l.id, err)
	}
	s, err := inspect.Snapshot(inspect.Options{InitPID: l.InitPID(), PIDs: pids})
	if err != nil {
		return nil, fmt.Errorf("snapshot of %s: %w", l.id, err)
	}
	if l.eng.mounts != nil {
		l.eng.mounts.reconcile(l, s, pids)
	}
	return s, nil
}
