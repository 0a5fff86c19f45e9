package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
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
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: nslab sim [flags] -- CMD [ARG…]\n\nRuns CMD in a fresh simulated lab host and exits with its status.\n\nflags:\n")
		fs.PrintDefaults()
	}
	state := fs.String("state", "", "write the lab's state (JSON) to `FILE` after CMD exits")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	argv := fs.Args()
	if len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "nslab sim: no command given (nslab sim [flags] -- CMD [ARG…])")
		return 2
	}
	lab := sim.NewLab(sim.Options{})
	defer lab.Close()
	status := lab.RunArgv(argv, os.Stdin, os.Stdout, os.Stderr)
	if *state != "" {
		b, err := json.MarshalIndent(lab.Snapshot(), "", "  ")
		if err == nil {
			err = os.WriteFile(*state, append(b, '\n'), 0o644)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "nslab sim: --state: %v\n", err)
			return 1
		}
	}
	return status
}
