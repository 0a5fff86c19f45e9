package main

import (
	"os"

	"github.com/nslab/nslab/sim"
)

func init() {
	register("sim", "run a command in a fresh simulated lab host", simCmd)
}

// simCmd is `nslab sim [--state FILE] -- CMD [ARG…]`: CMD runs in a fresh
// simulated lab host, its output passed through, and its exit status is
// nslab's. With --state the lab's snapshot is written after CMD exits,
// with its background children still running.
func simCmd(args []string) int {
	c := newLabCommand("sim", "simulated")
	argv, status, ok := c.parse(args)
	if !ok {
		return status
	}
	lab := sim.NewLab(sim.Options{})
	defer lab.Close()
	status = lab.RunArgv(argv, os.Stdin, os.Stdout, os.Stderr)
	if err := c.writeState(lab.Snapshot()); err != nil {
		c.errorf("%v", err)
		return 1
	}
	return status
}
