//go:build linux

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/nslab/nslab/nsengine"
)

func init() {
	register("run", "run a command in a fresh live lab host", runCmd)
}

// runCmd is `nslab run [flags] -- CMD [ARG…]`: CMD runs in a fresh lab host
// with this process's stdin, stdout and stderr, and its exit status is
// nslab's. The lab is gone when nslab exits.
func runCmd(args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: nslab run [flags] -- CMD [ARG…]\n\nRuns CMD in a fresh live lab host and exits with its status.\n\nflags:\n")
		fs.PrintDefaults()
	}
	def := nsengine.DefaultLimits()
	state := fs.String("state", "", "write the lab's state (JSON) to `FILE` after CMD exits, before teardown")
	rootfs := fs.String("rootfs", "", "use `DIR` as the lab's root file system instead of the host's system folders")
	pids := fs.Int("pids", def.Pids, "most tasks (processes and threads) in the lab")
	memory := fs.String("memory", strconv.FormatInt(def.MemoryBytes, 10), "most memory of the lab, in `BYTES` (K, M, G suffixes allowed)")
	cpu := fs.Float64("cpu", def.CPU, "CPU share of the lab, in `CORES`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	argv := fs.Args()
	if len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "nslab run: no command given (nslab run [flags] -- CMD [ARG…])")
		return 2
	}
	mem, err := parseBytes(*memory)
	if err != nil {
		fmt.Fprintf(os.Stderr, "nslab run: --memory: %v\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	eng, err := nsengine.New(nsengine.Config{
		RootFS: *rootfs,
		Limits: nsengine.Limits{Pids: *pids, MemoryBytes: mem, CPU: *cpu},
		Logger: log,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "nslab run: %v\n", err)
		return 1
	}
	defer eng.Close()
	return runInLab(eng, argv, *state)
}

// runInLab runs argv in a new lab of eng and returns its status.
func runInLab(eng *nsengine.Engine, argv []string, stateFile string) int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	lab, err := eng.Spawn(ctx)
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "nslab run: %v\n", err)
		return 1
	}
	defer lab.Close()
	proc, err := lab.Start(context.Background(), nsengine.ProcSpec{
		Argv: argv, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "nslab run: %v\n", err)
		return 127
	}
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		s, err := proc.Wait()
		done <- result{s, err}
	}()
	var r result
	select {
	case r = <-done:
	case sig := <-sigs:
		// End the lab cleanly, with CMD in it.
		lab.Close()
		return 128 + int(sig.(syscall.Signal))
	}
	if r.err != nil {
		fmt.Fprintf(os.Stderr, "nslab run: %v\n", r.err)
		return 1
	}
	if stateFile != "" {
		// Taken before teardown: CMD's background children still run.
		if err := writeState(lab, stateFile); err != nil {
			fmt.Fprintf(os.Stderr, "nslab run: --state: %v\n", err)
			if r.status == 0 {
				return 1
			}
		}
	}
	if err := lab.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "nslab run: %v\n", err)
	}
	return r.status
}

func writeState(lab *nsengine.Lab, file string) error {
	s, err := lab.Snapshot()
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, append(b, '\n'), 0o644)
}
