package sim

import (
	"io"
	"sync"

	"github.com/nslab/nslab/nsstate"
)

// Lab is one simulated lab host. Its methods may be called from several
// goroutines; they take turns.
type Lab struct {
	mu     sync.Mutex
	k      *Kernel
	closed bool
}

// NewLab boots a simulated lab host in the same initial state as a live
// one.
func NewLab(opts Options) *Lab {
	l := &Lab{k: boot(opts)}
	l.mu.Lock()
	// Let init reach its first wait.
	l.k.schedule(func() bool { return false }, false, 0)
	l.mu.Unlock()
	return l
}

// maxRunSteps bounds one Run: a command that has not finished after this
// many scheduling steps (an endless loop) is killed.
const maxRunSteps = 2_000_000

// Run runs cmdline as `sh -c CMDLINE` in the lab host, as a child of its
// init, and returns its exit status (128+N when killed by signal N).
// stdout and stderr receive its output. Background children stay in the
// lab; the simulated clock jumps over sleeps instead of waiting.
func (l *Lab) Run(cmdline string, stdout, stderr io.Writer) int {
	return l.RunArgv([]string{"sh", "-c", cmdline}, nil, stdout, stderr)
}

// RunArgv runs a program with arguments in the lab host (PATH lookup as
// execvp), like `nslab run -- CMD ARG…`. stdin may be nil (/dev/null).
// A read from stdin blocks the whole lab until it returns.
func (l *Lab) RunArgv(argv []string, stdin io.Reader, stdout, stderr io.Writer) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := l.k
	t, status := l.startCommand(argv, stdin, stdout, stderr)
	if t == nil {
		return status
	}
	done := k.schedule(func() bool { return t.exited }, true, maxRunSteps)
	if !done {
		// An endless command: end it as a timeout would.
		t.sendSignal(SIGKILL)
		k.schedule(func() bool { return t.exited }, true, 0)
	}
	return l.finishCommand(t)
}

// startCommand starts argv as a child of the lab's init, in a session
// of its own; on failure it returns nil and the exit status.
func (l *Lab) startCommand(argv []string, stdin io.Reader, stdout, stderr io.Writer) (*Task, int) {
	k := l.k
	t, err := k.fork(k.labInit)
	if err != nil {
		io.WriteString(stderr, "nslab: "+err.Error()+"\n")
		return nil, 126
	}
	t.cwd = "/root"
	t.env = nsstate.LabEnv()
	t.handled = map[int]bool{}
	if stdin != nil {
		t.setFD(0, &File{refs: 1, in: stdin})
	} else {
		t.setFD(0, &File{refs: 1, devNull: true})
	}
	t.setFD(1, &File{refs: 1, out: stdout})
	t.setFD(2, &File{refs: 1, out: stderr})
	t.pgid, t.sid = t.PID(), t.PID()
	k.startTask(t, func(t *Task) int {
		file, node, err := k.findExecutable(t, argv[0])
		if err != nil {
			io.WriteString(stderr, "nslab sim: start "+argv[0]+": command not found\n")
			return 127
		}
		k.execve(t, file, node, argv)
		return 126
	})
	return t, 0
}

// finishCommand lets the lab settle after a command t ended and returns
// its exit status.
func (l *Lab) finishCommand(t *Task) int {
	k := l.k
	status := t.status
	// Let what can still run finish its turn (init reaps the command; a
	// job that was just signalled reports it), as a live lab's output is
	// drained briefly after the command exits. The clock stays put.
	k.schedule(func() bool { return false }, false, maxRunSteps/10)
	k.collectNamespaces()
	return exitStatusOf(status)
}

// Snapshot returns the lab's state as seen from the lab host.
func (l *Lab) Snapshot() *nsstate.Snapshot {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.k.snapshot()
}

// Close ends every process of the lab; the Lab is unusable afterwards.
func (l *Lab) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.closed = true
	k := l.k
	for _, t := range k.tasks {
		t.sendSignal(SIGKILL)
	}
	k.labInit.isInit = false
	k.schedule(func() bool {
		for _, t := range k.tasks {
			if t.started && !t.exited {
				return false
			}
		}
		return true
	}, false, 0)
}
