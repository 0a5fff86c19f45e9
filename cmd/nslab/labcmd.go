package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/nslab/nslab/nsstate"
)

// labCommand is what `nslab run` and `nslab sim` share, so that the two
// keep one contract: the same usage line, --state, the command after the
// flags, the same errors and exit statuses.
type labCommand struct {
	name  string
	fs    *flag.FlagSet
	state *string
}

// newLabCommand starts the flags of `nslab NAME`, which runs CMD in a fresh
// lab host of the given kind ("live" or "simulated").
func newLabCommand(name, kind string) *labCommand {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: nslab %s [flags] -- CMD [ARG…]\n\nRuns CMD in a fresh %s lab host and exits with its status.\n\nflags:\n", name, kind)
		fs.PrintDefaults()
	}
	c := &labCommand{name: name, fs: fs}
	c.state = fs.String("state", "", "write the lab's state (JSON) to `FILE` after CMD exits, while its background children still run")
	return c
}

// parse reads the flags and returns CMD and its arguments. When ok is
// false, nslab exits with status: 0 after -h, 2 for bad flags or no CMD.
func (c *labCommand) parse(args []string) (argv []string, status int, ok bool) {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0, false
		}
		return nil, 2, false
	}
	if argv = c.fs.Args(); len(argv) == 0 {
		c.errorf("no command given (nslab %s [flags] -- CMD [ARG…])", c.name)
		return nil, 2, false
	}
	return argv, 0, true
}

// writeState writes s to the --state file, if one was asked for.
func (c *labCommand) writeState(s *nsstate.Snapshot) error {
	if *c.state == "" {
		return nil
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err == nil {
		err = os.WriteFile(*c.state, append(b, '\n'), 0o644)
	}
	if err != nil {
		return fmt.Errorf("--state: %w", err)
	}
	return nil
}

// errorf says what went wrong, as nslab NAME.
func (c *labCommand) errorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "nslab %s: %s\n", c.name, fmt.Sprintf(format, args...))
}
