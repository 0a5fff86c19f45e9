//go:build linux

package nsengine

import (
	"github.com/nslab/nslab/nsstate"

	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/sys/unix"
)

// Config configures an Engine. The zero value is ready to use.
type Config struct {
	// RootFS is a folder on the real machine to use as every lab's root
	// file system (read-only); "" gives labs read-only binds of the host's
	// system folders (/usr, /bin, /sbin, /lib*, /etc).
	RootFS string
	// Limits bounds each lab; zero fields take DefaultLimits.
	Limits Limits
	// Logger receives the engine's events; nil discards them.
	Logger *slog.Logger
	// StateDir holds the engine's slot locks; "" means /run/nslab. Engines
	// share slots (and so never hand out one ID range twice) only with
	// engines of the same StateDir: every nslab server on a machine should
	// use the default, and an engine with another StateDir needs an ID pool
	// of its own (IDPoolBase, MaxLabs) that overlaps no other.
	StateDir string
	// IDPoolBase is the first host ID of the labs' ID pool; 0 means
	// DefaultIDPoolBase.
	IDPoolBase uint32
	// MaxLabs is how many labs may live at once on the machine; 0 means
	// DefaultMaxLabs.
	MaxLabs int
	// Warm is how many labs the engine keeps spawned and set up ahead of
	// Spawn, which then returns at once; 0 spawns each lab on demand. Each
	// warm lab holds an ID slot and its init's few MiB of memory.
	Warm int
	// NoProcEvents turns the process connector off: labs' state is then
	// read on a timer, as where the connector is unavailable (see
	// procevents.go).
	NoProcEvents bool
}

// DefaultStateDir is where slot locks live unless Config.StateDir says
// otherwise.
const DefaultStateDir = "/run/nslab"

// labHostname is every lab host's hostname.
const labHostname = nsstate.LabHostname

// Engine spawns labs. Its methods are safe for concurrent use.
type Engine struct {
	cfg Config
	log *slog.Logger
	// exe is the running binary, open: each lab's init is exec'd from it.
	exe   *os.File
	ids   *idPool
	cgrp  *cgroupRoot
	binds *lockedBinds

	mu       sync.Mutex
	labs     map[*Lab]struct{}
	closed   bool
	spawning sync.WaitGroup // Spawn calls in flight; Close waits for them
	exeOnce  sync.Once
	warm     *warmPool // nil without Config.Warm
	// idmapWarn says once that the machine's file systems cannot be
	// idmapped (see idmapview.go).
	idmapWarn sync.Once

	// events and mounts tell labs when their state changed; nil where
	// process events are unavailable, and noEvents says why.
	events   *procEvents
	mounts   *mountWatch
	noEvents string
}

// Probe reports whether labs can be made on this machine: nil if so, else
// an error that says what is missing.
func Probe() error {
	var errs []error
	if os.Geteuid() != 0 {
		errs = append(errs, errors.New("live labs need root: each lab maps its users onto a range of host IDs, which only root may do"))
	}
	for _, ns := range []string{"user", "pid", "mnt", "uts", "ipc", "net", "cgroup", "time"} {
		if _, err := os.Stat("/proc/self/ns/" + ns); err != nil {
			errs = append(errs, fmt.Errorf("the kernel lacks %s namespaces (Linux 5.6 or newer has all eight)", ns))
		}
	}
	if b, err := os.ReadFile("/proc/sys/user/max_user_namespaces"); err == nil && string(b) == "0\n" {
		errs = append(errs, errors.New("user namespaces are turned off (sysctl user.max_user_namespaces=0)"))
	}
	if r, err := detectCgroups(cgroupFolder(DefaultStateDir)); err != nil {
		errs = append(errs, err)
	} else if err := unix.Access(filepath.Dir(r.parents[0]), unix.W_OK); err != nil {
		errs = append(errs, fmt.Errorf("cgroups: cannot write %s: %w", filepath.Dir(r.parents[0]), err))
	}
	if _, err := os.Executable(); err != nil {
		errs = append(errs, fmt.Errorf("cannot find this program to re-execute as a lab's init: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("live labs unavailable: %w", err)
	}
	return nil
}

// New makes an engine. It first cleans up what a crashed earlier run left:
// lab cgroups (and any process still in them) and slot locks whose slot no
// live process holds.
func New(cfg Config) (*Engine, error) {
	if err := Probe(); err != nil {
		return nil, err
	}
	cfg.Limits = cfg.Limits.withDefaults()
	if err := cfg.Limits.validate(); err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	if cfg.RootFS != "" {
		abs, err := filepath.Abs(cfg.RootFS)
		if err != nil {
			return nil, fmt.Errorf("new engine: rootfs: %w", err)
		}
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("new engine: rootfs %s is not a folder", cfg.RootFS)
		}
		cfg.RootFS = abs
	}
	if cfg.StateDir == "" {
		cfg.StateDir = DefaultStateDir
	}
	if cfg.IDPoolBase == 0 {
		cfg.IDPoolBase = DefaultIDPoolBase
	}
	if cfg.MaxLabs == 0 {
		cfg.MaxLabs = DefaultMaxLabs
	}
	if err := checkGroupOutsidePool(cfg.IDPoolBase, cfg.MaxLabs); err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	exePath, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	exe, err := os.Open(exePath)
	if err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	if err := checkExeSafeFromLabs(exe, uint64(cfg.IDPoolBase), uint64(cfg.IDPoolBase)+uint64(cfg.MaxLabs)*idRangeSize); err != nil {
		exe.Close()
		return nil, fmt.Errorf("new engine: %w", err)
	}
	ids, err := newIDPool(cfg.StateDir, cfg.IDPoolBase, cfg.MaxLabs)
	if err != nil {
		exe.Close()
		return nil, fmt.Errorf("new engine: %w", err)
	}
	cg, err := detectCgroups(cgroupFolder(cfg.StateDir))
	if err == nil {
		err = cg.prepare()
	}
	if err != nil {
		exe.Close()
		return nil, fmt.Errorf("new engine: %w", err)
	}
	cleanLeftoverBinds(log)
	if err := sizePTYPool(log, cfg.MaxLabs); err != nil {
		exe.Close()
		return nil, fmt.Errorf("new engine: %w", err)
	}
	logMachineWideSysctls(log)
	binds, err := prepareLockedBinds(cfg.RootFS)
	if err != nil {
		exe.Close()
		return nil, fmt.Errorf("new engine: %w", err)
	}
	disks, unlimited, err := findBindDisks(binds.dir)
	if err != nil {
		exe.Close()
		binds.remove()
		return nil, fmt.Errorf("new engine: %w", err)
	}
	disks, exeUnlimited := addExeDisk(disks, exe)
	if exeUnlimited != "" {
		log.Warn("no block device found behind the server's binary: the labs' disk I/O reading it (through /proc/1/exe) is not limited", "binary", exeUnlimited)
	}
	cg.disks = disks
	for _, m := range unlimited {
		log.Warn("no block device found behind a system folder: the labs' disk I/O through it is not limited", "mount", m)
	}
	log.Debug("labs' disk I/O limited", "disks", fmt.Sprint(disks), "bytes_per_second", cfg.Limits.DiskBytesPerSecond, "iops", cfg.Limits.DiskIOPS)
	if err := markInheritedFDsCloseOnExec(); err != nil {
		exe.Close()
		binds.remove()
		return nil, fmt.Errorf("new engine: %w", err)
	}
	e := &Engine{cfg: cfg, log: log, exe: exe, ids: ids, cgrp: cg, binds: binds, labs: map[*Lab]struct{}{}}
	e.cleanLeftovers()
	e.startEvents()
	if cfg.Warm > 0 {
		e.startWarmPool(min(cfg.Warm, cfg.MaxLabs))
	}
	return e, nil
}

// cleanLeftovers removes lab cgroups and slot locks of labs that no live
// process holds: what a crashed run left.
func (e *Engine) cleanLeftovers() {
	slots := e.cgrp.leftoverSlots()
	ents, _ := os.ReadDir(e.ids.dir)
	for _, ent := range ents {
		var s int
		if _, err := fmt.Sscanf(ent.Name(), "%d.lock", &s); err == nil {
			slots = append(slots, s)
		}
	}
	done := map[int]bool{}
	for _, s := range slots {
		if done[s] {
			continue
		}
		done[s] = true
		l, err := e.ids.tryLock(s)
		if err != nil || l == nil {
			continue // a live lab
		}
		if err := e.cgrp.lab(s).destroy(); err != nil {
			e.log.Warn("clean up after a crashed run", "slot", s, "err", err)
		} else {
			e.log.Info("cleaned up after a crashed run", "slot", s)
		}
		l.release()
	}
}

// Spawn makes a new lab host and returns once it is ready for Start. ctx
// bounds the spawning only.
func (e *Engine) Spawn(ctx context.Context) (*Lab, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("spawn lab: %w", err)
	}
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, errors.New("spawn lab: engine closed")
	}
	e.spawning.Add(1)
	e.mu.Unlock()
	defer e.spawning.Done()
	var l *Lab
	if e.warm != nil {
		l = e.warm.take()
	}
	if l == nil {
		var err error
		if l, err = e.spawn(ctx); err != nil {
			return nil, fmt.Errorf("spawn lab: %w", err)
		}
	}
	e.mu.Lock()
	if !l.forgotten {
		e.labs[l] = struct{}{}
	}
	e.mu.Unlock()
	e.log.Info("lab spawned", "lab", l.ID(), "init_pid", l.InitPID(), "id_base", l.IDBase())
	return l, nil
}

// forget drops a lab that has ended.
func (e *Engine) forget(l *Lab) {
	e.mu.Lock()
	l.forgotten = true
	delete(e.labs, l)
	e.mu.Unlock()
}

// Count is the number of live labs.
func (e *Engine) Count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.labs)
}

// Close ends every lab and refuses new ones.
func (e *Engine) Close() error {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.spawning.Wait()
	if e.warm != nil {
		e.warm.close()
	}
	e.mu.Lock()
	labs := make([]*Lab, 0, len(e.labs))
	for l := range e.labs {
		labs = append(labs, l)
	}
	e.mu.Unlock()
	errs := make([]error, len(labs))
	var wg sync.WaitGroup
	for i, l := range labs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = l.Close()
		}()
	}
	wg.Wait()
	e.cgrp.removeParents()
	e.exeOnce.Do(func() {
		e.stopEvents()
		e.exe.Close()
		errs = append(errs, e.binds.remove())
	})
	return errors.Join(errs...)
}
