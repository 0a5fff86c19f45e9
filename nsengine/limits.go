//go:build linux

package nsengine

import (
	"errors"
	"fmt"
)

// Limits bounds what one lab may use. Zero fields take the default.
type Limits struct {
	// Pids caps the tasks (processes and threads) of the lab's processes:
	// a fork bomb stops there. The lab's init keeps its own few threads on
	// top (see initthreads.go), so that a lab at its limit keeps its init.
	Pids int
	// MemoryBytes caps the lab's memory, tmpfs contents included.
	MemoryBytes int64
	// CPU is the lab's share of CPU time, in cores (0.5 = half a core).
	CPU float64
	// TmpfsBytes is the size of the lab's writable file system: a tmpfs
	// at / that holds /tmp, /root, /home, /run, /var/tmp and /dev/shm. It
	// may be at most half of MemoryBytes (tmpfs pages are memory), so that
	// files alone cannot fill the lab's memory and starve its processes.
	TmpfsBytes int64
	// DiskBytesPerSecond caps the lab's reads and writes on each block
	// device behind its read-only binds, each way: without it one lab's
	// O_DIRECT reads took the machine's whole disk.
	DiskBytesPerSecond int64
	// DiskIOPS caps the lab's read and write operations per second on
	// each of those devices, each way: small random reads hurt a disk
	// long before their bytes add up.
	DiskIOPS int
}

// DefaultLimits returns the limits a lab gets unless told otherwise:
// 256 tasks, 256 MiB of memory, half a core of CPU, 64 MiB of files and
// 20 MiB/s and 500 operations per second of disk I/O. With other memory,
// files default to a quarter of it, at most 64 MiB. The disk limits keep
// a lesson snappy: a cold start of bash, ip or unshare reads a few MiB
// at most (a fraction of a second at these rates), and what one lab read
// stays in the page cache for the next.
func DefaultLimits() Limits {
	return Limits{Pids: 256, MemoryBytes: 256 << 20, CPU: 0.5, TmpfsBytes: 64 << 20,
		DiskBytesPerSecond: 20 << 20, DiskIOPS: 500}
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.Pids == 0 {
		l.Pids = d.Pids
	}
	if l.MemoryBytes == 0 {
		l.MemoryBytes = d.MemoryBytes
	}
	if l.CPU == 0 {
		l.CPU = d.CPU
	}
	if l.TmpfsBytes == 0 {
		l.TmpfsBytes = min(d.TmpfsBytes, l.MemoryBytes/4)
	}
	if l.DiskBytesPerSecond == 0 {
		l.DiskBytesPerSecond = d.DiskBytesPerSecond
	}
	if l.DiskIOPS == 0 {
		l.DiskIOPS = d.DiskIOPS
	}
	return l
}

// minimums a lab needs to start at all: init is a Go program with a
// handful of threads and a few MiB of memory, and a shell that is not in
// the page cache yet still starts within seconds at the disk minimums.
const (
	minPids     = 16
	minMemory   = 16 << 20
	minCPU      = 0.01
	minTmpfs    = 64 << 10
	minDiskRate = 1 << 20
	minDiskIOPS = 10
)

func (l Limits) validate() error {
	var errs []error
	if l.Pids < minPids {
		errs = append(errs, fmt.Errorf("pids %d: at least %d", l.Pids, minPids))
	}
	if l.MemoryBytes < minMemory {
		errs = append(errs, fmt.Errorf("memory %d bytes: at least %d", l.MemoryBytes, minMemory))
	}
	if l.CPU < minCPU {
		errs = append(errs, fmt.Errorf("cpu %g cores: at least %g", l.CPU, minCPU))
	}
	if l.TmpfsBytes < minTmpfs {
		errs = append(errs, fmt.Errorf("tmpfs %d bytes: at least %d", l.TmpfsBytes, minTmpfs))
	}
	if l.TmpfsBytes > l.MemoryBytes/2 {
		errs = append(errs, fmt.Errorf("tmpfs %d bytes: at most half the memory (%d bytes)", l.TmpfsBytes, l.MemoryBytes))
	}
	if l.DiskBytesPerSecond < minDiskRate {
		errs = append(errs, fmt.Errorf("disk rate %d bytes/s: at least %d", l.DiskBytesPerSecond, minDiskRate))
	}
	if l.DiskIOPS < minDiskIOPS {
		errs = append(errs, fmt.Errorf("disk %d operations/s: at least %d", l.DiskIOPS, minDiskIOPS))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("limits: %w", err)
	}
	return nil
}
