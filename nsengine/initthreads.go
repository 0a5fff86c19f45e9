//go:build linux

package nsengine

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
)

// A lab's init must outlive anything the lab does to its own limits: it is
// what ends the lab cleanly and reports its processes' exits. Its threads
// count against the lab's pids limit like any task, and the Go runtime
// ends the process ("failed to create new OS thread") when it cannot make
// one. So init makes all the threads it will ever need before the lab has
// a process (preStartThreads), and the engine then sets the lab's pids.max
// to Limits.Pids plus exactly that many (reserveInitTasks): the lab's
// processes get Limits.Pids tasks, whatever they do with them, and init's
// share is already in use, never to be taken.

// initThreads is how many threads the hardened init keeps. The Go runtime
// of init, with one P (GOMAXPROCS=1, see spawn), never needs more threads
// at once than it has goroutines that can block in a system call (init's
// request loop, reaper and signal loop, the runtime's scavenger) plus the
// runtime's own (sysmon, its template thread, the signal thread of
// os/signal, one running the P): eight. Threads are never retired once
// made, and an idle one is reused before a new one is made. Four more make
// room for what a later Go runtime may add.
const initThreads = 12

// preStartThreads makes the Go runtime start threads until the process has
// n. It stops the lab from killing init by holding every task of its pids
// limit at the moment init's runtime would want one more thread. Each
// goroutine below locks the thread it runs on and parks, so the runtime
// must start another for the rest; once released they unlock and end, and
// their threads stay, idle, for the runtime to reuse.
func preStartThreads(n int) error {
	release := make(chan struct{})
	var parked, ended sync.WaitGroup
	defer func() {
		close(release)
		ended.Wait()
	}()
	started := 0
	for {
		have, err := threadCount(os.Getpid())
		if err != nil {
			return fmt.Errorf("start init's threads: %w", err)
		}
		if have >= n {
			return nil
		}
		if started >= n {
			return fmt.Errorf("start init's threads: %d after %d tries, want %d", have, started, n)
		}
		for range n - have {
			started++
			parked.Add(1)
			ended.Add(1)
			go func() {
				defer ended.Done()
				runtime.LockOSThread()
				parked.Done()
				<-release
				runtime.UnlockOSThread()
			}()
		}
		parked.Wait()
	}
}

// threadCount is how many threads (tasks) process pid has, from
// /proc/PID/task of the caller's /proc.
func threadCount(pid int) (int, error) {
	ents, err := os.ReadDir(filepath.Join("/proc", strconv.Itoa(pid), "task"))
	if err != nil {
		return 0, err
	}
	return len(ents), nil
}

// initTasksDuringSetup is the lab's pids.max on top of Limits.Pids while
// init sets the lab up: both stages of init fit, and no lab process runs
// yet.
const initTasksDuringSetup = 2 * initThreads

// reserveInitTasks runs in the server: it sets the lab's pids.max to pids
// (the lab's share, Limits.Pids) plus extra, init's tasks, which the
// hardened init has all made by the time it says ready (preStartThreads).
func (g *labCgroup) reserveInitTasks(pids, extra int) error {
	path := filepath.Join(g.dirs[0], "pids.max")
	if err := os.WriteFile(path, []byte(strconv.Itoa(pids+extra)), 0); err != nil {
		return fmt.Errorf("cgroups: reserve init's tasks: %w", err)
	}
	return nil
}
