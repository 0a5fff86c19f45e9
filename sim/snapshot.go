package sim

import "github.com/nslab/nslab/nsstate"

// snapshot builds the lab's nsstate.Snapshot: every namespace made inside
// the lab host (and the lab host's own), every process, as the lab host
// sees them.
func (k *Kernel) snapshot() *nsstate.Snapshot {
	return nsstate.New("sim")
}
