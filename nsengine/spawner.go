//go:build linux

package nsengine

import (
	"runtime"
	"sync"
)

// A lab's init gets SIGKILL as its parent-death signal, so that it dies
// with the server. The kernel sends that signal when the *thread* that
// forked init exits, not the process, and the Go runtime may retire a
// thread. So every init is forked from one thread that never exits.
var spawner struct {
	once sync.Once
	jobs chan func()
}

// onSpawnerThread runs fn on the spawner thread and waits for it.
func onSpawnerThread(fn func()) {
	spawner.once.Do(func() {
		spawner.jobs = make(chan func())
		go func() {
			runtime.LockOSThread()
			// Never unlocked and never returns: the thread lives as long
			// as the process.
			for job := range spawner.jobs {
				job()
			}
		}()
	})
	done := make(chan struct{})
	spawner.jobs <- func() {
		defer close(done)
		fn()
	}
	<-done
}
