//go:build linux

package nsengine

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/nslab/nslab/nsstate"
)

// setFirstPID makes the next PID of the lab's PID namespace
// nsstate.LabFirstPID, so the first process init starts (the learner's
// first shell) has that PID in every lab, whatever number of threads the
// Go runtime of init's setup stage had before init re-executed itself.
// The hardened init runs it once its threads are all made
// (preStartThreads) and before it says ready, while it is the namespace's
// only process. ns_last_pid is the PID namespace's own (the writer's,
// init's), and the kernel lets it be written by a task with CAP_SYS_ADMIN
// (or CAP_CHECKPOINT_RESTORE) in the user namespace that owns that PID
// namespace: init, the lab's root, is one; the seccomp filter does not
// look at open and write. A thread ID at or above LabFirstPID would make
// the first PID another one: that is an error, not a lab with another
// first PID.
func setFirstPID() error {
	const path = "/proc/sys/kernel/ns_last_pid"
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return fmt.Errorf("set the first PID: %w", err)
	}
	for _, e := range ents {
		tid, err := strconv.Atoi(e.Name())
		if err != nil {
			return fmt.Errorf("set the first PID: thread %q: %w", e.Name(), err)
		}
		if tid >= nsstate.LabFirstPID {
			return fmt.Errorf("set the first PID: init has a thread %d, at or above %d", tid, nsstate.LabFirstPID)
		}
	}
	if err := writeFileDirect(path, []byte(strconv.Itoa(nsstate.LabFirstPID-1)), 0); err != nil {
		return fmt.Errorf("set the first PID: %w", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("set the first PID: %w", err)
	}
	if got := strings.TrimSpace(string(b)); got != strconv.Itoa(nsstate.LabFirstPID-1) {
		return fmt.Errorf("set the first PID: %s reads %s after writing %d", path, got, nsstate.LabFirstPID-1)
	}
	return nil
}
