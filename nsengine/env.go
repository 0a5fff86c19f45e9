//go:build linux

package nsengine

import "github.com/nslab/nslab/nsstate"

// DefaultEnv returns the environment every process in a lab starts with
// unless its ProcSpec says otherwise: nsstate.LabEnv, which the simulator
// uses too, so that `nslab run` and `nslab sim` start scripts from the same
// state.
func DefaultEnv() []string { return nsstate.LabEnv() }
