package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/nslab/nslab/assets"
	"github.com/nslab/nslab/nsengine"
	"github.com/nslab/nslab/server"
)

func init() {
	register("serve", "serve live labs (and the simulator) over HTTP", serve)
}

// listFlag collects a flag given several times or with commas.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

func serve(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	d := server.DefaultLimits
	addr := fs.String("addr", envOr("NSLAB_ADDR", "127.0.0.1:8080"), "listen on `HOST:PORT` (port 0 picks a free one); also NSLAB_ADDR")
	var lim server.Limits
	fs.IntVar(&lim.MaxLabs, "max-labs", d.MaxLabs, "most labs running at once (-1: no limit)")
	fs.IntVar(&lim.MaxLabsPerClient, "max-labs-per-client", d.MaxLabsPerClient, "most labs one client address (IPv6: /64) may hold (-1: no limit)")
	fs.IntVar(&lim.CreatesPerMinute, "creates-per-minute", d.CreatesPerMinute, "most labs one client address may create per minute (-1: no limit)")
	fs.DurationVar(&lim.IdleTimeout, "idle-timeout", d.IdleTimeout, "end a lab no browser ever watched after this long without requests")
	fs.DurationVar(&lim.Grace, "grace", d.Grace, "end a lab this long after its last browser left, unless one comes back")
	fs.DurationVar(&lim.MaxLifetime, "max-lifetime", d.MaxLifetime, "end every lab this old")
	fs.IntVar(&lim.MaxConnsPerLab, "max-conns-per-lab", d.MaxConnsPerLab, "most websockets (browser tabs) on one lab")
	fs.IntVar(&lim.MaxFollowersPerLab, "max-followers-per-lab", d.MaxFollowersPerLab, "most read-only followers (audience links) of one lab at once")
	fs.DurationVar(&lim.ExecTimeout, "exec-timeout", d.ExecTimeout, "kill an exec request's shell and its process group after this long")
	fs.IntVar(&lim.MaxConns, "max-conns", d.MaxConns, "most HTTP connections open at once, websockets not counted (-1: no limit)")
	fs.IntVar(&lim.MaxConnsPerClient, "max-conns-per-client", d.MaxConnsPerClient, "most HTTP connections one client address may hold open (-1: no limit)")
	var origins listFlag
	fs.Var(&origins, "allow-origin", "also accept websockets from pages of this `ORIGIN` (https://course.example; behind a proxy serving HTTPS, its public https origin); repeatable")
	el := nsengine.DefaultLimits()
	labPids := fs.Int("lab-pids", el.Pids, "most tasks (processes and threads) in each lab")
	labMemory := fs.String("lab-memory", formatBytes(el.MemoryBytes), "most memory of each lab, files included, in `BYTES` (K, M, G suffixes)")
	labCPU := fs.Float64("lab-cpu", el.CPU, "CPU share of each lab, in `CORES`")
	labTmpfs := fs.String("lab-tmpfs", formatBytes(el.TmpfsBytes), "size of each lab's writable files, in `BYTES`; at most half of --lab-memory (unset: a quarter of it, at most the default)")
	labDiskRate := fs.String("lab-disk-rate", formatBytes(el.DiskBytesPerSecond), "most `BYTES` per second each lab reads (and writes) on each disk behind its system folders")
	labDiskIOPS := fs.Int("lab-disk-iops", el.DiskIOPS, "most read (and write) operations per second of each lab on each disk behind its system folders")
	warm := fs.Int("warm", 2, "labs kept set up ahead of demand, so a new lab starts at once (0: none)")
	stateDir := fs.String("state-dir", nsengine.DefaultStateDir, "keep the labs' slot locks in `DIR`; a server with a folder of its own needs an --id-base of its own too")
	idBase := fs.Uint("id-base", nsengine.DefaultIDPoolBase, "first real-machine uid/gid of the labs' ID pool (65536 per lab slot, --max-labs slots and more)")
	var frame, embedOrigins listFlag
	fs.Var(&frame, "frame-ancestors", "let pages of this `ORIGIN` (https://course.example, or 'self') show the lab pages in a frame (CSP frame-ancestors); repeatable; unset: 'none', no site may")
	fs.Var(&embedOrigins, "embed-origins", "let pages of this `ORIGIN` drive an embedded lab (?embed=1) with postMessage and get its events (docs/embedding.md); repeatable")
	debug := fs.Bool("debug", false, "log debug events")
	lessonsDir := fs.String("lessons", "", "also offer the lessons in `DIR` (a folder of lesson folders, Killercoda's layout); a malformed one is reported and left out")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: nslab serve [flags]\n\nServes live labs on this machine, or only the simulator where namespaces\ncannot be made here. Ends every lab on SIGINT or SIGTERM.\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "nslab serve: unexpected arguments %q\n", fs.Args())
		return 2
	}
	labLimits, err := labLimitsFromFlags(fs, *labPids, *labMemory, *labCPU, *labTmpfs, *labDiskRate, *labDiskIOPS)
	if err != nil {
		fmt.Fprintf(os.Stderr, "nslab serve: %v\n", err)
		return 2
	}
	if *warm < 0 {
		fmt.Fprintf(os.Stderr, "nslab serve: --warm %d: want 0 or more\n", *warm)
		return 2
	}
	if m := cmp.Or(lim.MaxLabs, d.MaxLabs); m >= 0 {
		// More warm labs than may ever be handed out would only hold memory.
		*warm = min(*warm, m)
	}
	for _, o := range origins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			fmt.Fprintf(os.Stderr, "nslab serve: --allow-origin %q: want an origin like https://course.example\n", o)
			return 2
		}
	}
	frameAncestors, err := server.FrameAncestors(frame)
	if err != nil {
		fmt.Fprintf(os.Stderr, "nslab serve: --frame-ancestors: %v\n", err)
		return 2
	}
	if err := server.CheckOrigins(embedOrigins); err != nil {
		fmt.Fprintf(os.Stderr, "nslab serve: --embed-origins: %v\n", err)
		return 2
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(log)

	// A malformed lesson costs only itself: it is reported, with file and
	// problem, and the others serve.
	lessons, problems := allLessons(*lessonsDir)
	for _, p := range problems {
		log.Error("lesson left out", "problem", p)
	}
	if len(embedOrigins) > 0 && frameAncestors == "'none'" {
		log.Warn("--embed-origins without --frame-ancestors: browsers will not show the pages in those sites' frames", "embed_origins", strings.Join(embedOrigins, " "))
	}
	cfg := server.Config{
		Lessons:        lessons,
		Limits:         lim,
		AllowOrigins:   origins,
		FrameAncestors: frameAncestors,
		EmbedOrigins:   embedOrigins,
		Pages:          server.WebPages(),
		Static:         assets.FS,
		Logger:         log,
	}
	var eng *nsengine.Engine
	if err := nsengine.Probe(); err != nil {
		log.Warn("serving simulated labs only", "reason", err.Error())
		cfg.NoEngineReason = err.Error()
	} else {
		if *idBase == 0 || uint64(*idBase)+uint64(nsengine.DefaultMaxLabs)*65536 > 1<<32-1 {
			fmt.Fprintf(os.Stderr, "nslab serve: --id-base %d: want 1 to %d, so that every slot's 65536 IDs fit below 2^32\n", *idBase, uint64(1<<32-1)-uint64(nsengine.DefaultMaxLabs)*65536)
			return 2
		}
		eng, err = nsengine.New(nsengine.Config{Limits: labLimits, Warm: *warm, Logger: log, StateDir: *stateDir, IDPoolBase: uint32(*idBase)})
		if err != nil && labFlagsSet(fs) {
			// The engine checks the limits first; falling back to
			// simulated labs would hide a mistyped flag.
			fmt.Fprintf(os.Stderr, "nslab serve: %v\n", err)
			return 2
		}
		if err != nil {
			log.Warn("serving simulated labs only", "reason", err.Error())
			cfg.NoEngineReason = err.Error()
		} else {
			cfg.Engine = server.Live(eng)
		}
	}

	srv := server.New(cfg)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("listen", "addr", *addr, "err", err)
		srv.Close()
		if eng != nil {
			eng.Close()
		}
		return 1
	}
	hs := srv.HTTPServer(*addr)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	log.Info("serving", "url", "http://"+ln.Addr().String(), "mode", srv.Mode())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	status := 0
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-served:
		log.Error("serve", "err", err)
		status = 1
	}
	stop() // a second signal kills at once

	// Stop taking requests and let running ones finish; websockets are
	// not HTTP requests any more, so the labs' end below closes them.
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("shutdown", "err", err)
	}
	srv.Close()
	if eng != nil {
		if err := eng.Close(); err != nil {
			log.Warn("close engine", "err", err)
			status = 1
		}
	}
	log.Info("stopped")
	return status
}

// labLimitsFromFlags reads the --lab-* flags into the engine's limits. A
// --lab-tmpfs left unset stays 0, so that the engine sizes the files
// after the memory.
func labLimitsFromFlags(fs *flag.FlagSet, pids int, memory string, cpu float64, tmpfs, diskRate string, diskIOPS int) (nsengine.Limits, error) {
	var l nsengine.Limits
	var errs []error
	if pids <= 0 {
		errs = append(errs, fmt.Errorf("--lab-pids %d: want a number of tasks above 0", pids))
	}
	l.Pids = pids
	mem, err := parseBytes(memory)
	if err != nil {
		errs = append(errs, fmt.Errorf("--lab-memory: %w", err))
	}
	l.MemoryBytes = mem
	if !(cpu > 0) || math.IsInf(cpu, 0) {
		errs = append(errs, fmt.Errorf("--lab-cpu %g: want a number of cores above 0 (0.5 is half a core)", cpu))
	}
	l.CPU = cpu
	if flagSet(fs, "lab-tmpfs") {
		t, err := parseBytes(tmpfs)
		if err != nil {
			errs = append(errs, fmt.Errorf("--lab-tmpfs: %w", err))
		} else if mem > 0 && t > mem/2 {
			errs = append(errs, fmt.Errorf("--lab-tmpfs %s: at most half of --lab-memory (%s), since files are memory", tmpfs, formatBytes(mem/2)))
		}
		l.TmpfsBytes = t
	}
	rate, err := parseBytes(diskRate)
	if err != nil {
		errs = append(errs, fmt.Errorf("--lab-disk-rate: %w", err))
	}
	l.DiskBytesPerSecond = rate
	if diskIOPS <= 0 {
		errs = append(errs, fmt.Errorf("--lab-disk-iops %d: want a number of operations per second above 0", diskIOPS))
	}
	l.DiskIOPS = diskIOPS
	return l, errors.Join(errs...)
}

// labFlagsSet reports whether any flag of the engine (--lab-*, --state-dir,
// --id-base) was given: then an engine that fails is an error, not a fallback.
func labFlagsSet(fs *flag.FlagSet) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		set = set || strings.HasPrefix(f.Name, "lab-") || f.Name == "state-dir" || f.Name == "id-base"
	})
	return set
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
