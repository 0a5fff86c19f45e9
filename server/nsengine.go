//go:build linux

package server

import (
	"context"
	"os"

	"github.com/nslab/nslab/nsengine"
	"github.com/nslab/nslab/nsstate"
)

// Live adapts the live engine to Engine.
func Live(e *nsengine.Engine) Engine { return liveEngine{e} }

type liveEngine struct{ e *nsengine.Engine }

func (le liveEngine) Spawn(ctx context.Context) (Lab, error) {
	l, err := le.e.Spawn(ctx)
	if err != nil {
		return nil, err
	}
	return liveLab{l}, nil
}

// liveLab adapts *nsengine.Lab to Lab. Its methods return nil
// interfaces on error, never a nil *nsengine.Proc in a non-nil Proc.
type liveLab struct{ l *nsengine.Lab }

func (ll liveLab) ID() string            { return ll.l.ID() }
func (ll liveLab) Close() error          { return ll.l.Close() }
func (ll liveLab) Done() <-chan struct{} { return ll.l.Done() }
func (ll liveLab) Start(ctx context.Context, spec ProcSpec) (Proc, error) {
	p, err := ll.l.Start(ctx, nsengine.ProcSpec(spec))
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (ll liveLab) StartCheck(ctx context.Context, spec ProcSpec) (Proc, error) {
	c, err := ll.l.StartCheck(ctx, nsengine.ProcSpec(spec))
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (ll liveLab) StartPTY(ctx context.Context, spec ProcSpec, rows, cols uint16) (Proc, *os.File, error) {
	p, master, err := ll.l.StartPTY(ctx, nsengine.ProcSpec(spec), rows, cols)
	if err != nil {
		return nil, nil, err
	}
	return p, master, nil
}

func (ll liveLab) Snapshot() (*nsstate.Snapshot, error) { return ll.l.Snapshot() }
