package server

import (
	"context"
	"os"
	"syscall"

	"github.com/nslab/nslab/nsstate"
)

// Engine makes labs. The live engine is adapted to it in nsengine.go; a
// server without one serves simulated labs only. Whoever made the engine
// closes it, after the server.
type Engine interface {
	Spawn(ctx context.Context) (Lab, error)
}

// Lab is one lab host: its processes run in its namespaces and end with it.
type Lab interface {
	ID() string
	// Start runs a process in the lab host with the files of spec.
	Start(ctx context.Context, spec ProcSpec) (Proc, error)
	// StartCheck runs a lesson's check in the lab host as its root, out
	// of reach of the lab's own root (which cannot trace it), with the
	// files of spec.
	StartCheck(ctx context.Context, spec ProcSpec) (Proc, error)
	// StartPTY runs a process on a new PTY of the given size and returns
	// the PTY's master side.
	StartPTY(ctx context.Context, spec ProcSpec, rows, cols uint16) (Proc, *os.File, error)
	// Snapshot reads the lab host's state as the lab host sees it.
	Snapshot() (*nsstate.Snapshot, error)
	// Close ends every process of the lab and frees what it held.
	Close() error
	// Done is closed once the lab has ended, for whatever reason.
	Done() <-chan struct{}
}

// ProcSpec says what to run in a lab host. Nil files are /dev/null; nil
// Env and empty Dir are the engine's defaults (root's login).
type ProcSpec struct {
	Argv                  []string
	Env                   []string
	Dir                   string
	Stdin, Stdout, Stderr *os.File
}

// Proc is a process started in a lab host.
type Proc interface {
	// PID is the process's ID as the lab host sees it.
	PID() int
	// Wait waits for the process to end and returns its exit status.
	Wait() (int, error)
	Signal(sig syscall.Signal) error
	// SignalGroup sends sig to the process's process group: it and what
	// it started in its group. Lab processes start in a session of their
	// own, so their PID is their group's ID.
	SignalGroup(sig syscall.Signal) error
}
