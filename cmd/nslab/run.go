//go:build linux

package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
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
	c := newLabCommand("run", "live")
	def := nsengine.DefaultLimits()
	rootfs := c.fs.String("rootfs", "", "use `DIR` as the lab's root file system instead of the host's system folders")
	pids := c.fs.Int("pids", def.Pids, "most tasks (processes and threads) in the lab")
	memory := c.fs.String("memory", formatBytes(def.MemoryBytes), "most memory of the lab, in `BYTES` (K, M, G suffixes allowed)")
	cpu := c.fs.Float64("cpu", def.CPU, "CPU share of the lab, in `CORES`")
	argv, status, ok := c.parse(args)
	if !ok {
		return status
	}
	mem, err := parseBytes(*memory)
	if err != nil {
		c.errorf("--memory: %v", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	eng, err := nsengine.New(nsengine.Config{
		RootFS: *rootfs,
		Limits: nsengine.Limits{Pids: *pids, MemoryBytes: mem, CPU: *cpu},
		Logger: log,
	})
	if err != nil {
		c.errorf("%v", err)
		return 1
	}
	defer eng.Close()
	return runInLab(eng, argv, c)
}

// runInLab runs argv in a new lab of eng and returns its status.
func runInLab(eng *nsengine.Engine, argv []string, c *labCommand) int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	lab, err := eng.Spawn(ctx)
	cancel()
	if err != nil {
		c.errorf("%v", err)
		return 1
	}
	defer lab.Close()
	proc, err := lab.Start(context.Background(), nsengine.ProcSpec{
		Argv: argv, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
	})
	if err != nil {
		c.errorf("%v", err)
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
		c.errorf("%v", r.err)
		return 1
	}
	if *c.state != "" {
		// Taken before teardown: CMD's background children still run.
		s, err := lab.Snapshot()
		if err == nil {
			err = c.writeState(s)
		} else {
			err = fmt.Errorf("--state: %w", err)
		}
		if err != nil {
			c.errorf("%v", err)
			if r.status == 0 {
				return 1
			}
		}
	}
	if err := lab.Close(); err != nil {
		c.errorf("%v", err)
	}
	return r.status
}
