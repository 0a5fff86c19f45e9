package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
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
	fs.DurationVar(&lim.ExecTimeout, "exec-timeout", d.ExecTimeout, "kill an exec request's shell after this long")
	fs.IntVar(&lim.MaxConns, "max-conns", d.MaxConns, "most HTTP connections open at once, websockets not counted (-1: no limit)")
	fs.IntVar(&lim.MaxConnsPerClient, "max-conns-per-client", d.MaxConnsPerClient, "most HTTP connections one client address may hold open (-1: no limit)")
	var origins listFlag
	fs.Var(&origins, "allow-origin", "also accept websockets from pages of this `ORIGIN` (https://course.example); repeatable")
	frame := fs.String("frame-ancestors", "'none'", "CSP frame-ancestors: who may embed the pages in a frame ('none', or origins)")
	debug := fs.Bool("debug", false, "log debug events")
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
	for _, o := range origins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			fmt.Fprintf(os.Stderr, "nslab serve: --allow-origin %q: want an origin like https://course.example\n", o)
			return 2
		}
	}
	// The value goes into the Content-Security-Policy header as it is.
	if *frame == "" || strings.ContainsAny(*frame, ";,\r\n") {
		fmt.Fprintf(os.Stderr, "nslab serve: --frame-ancestors %q: want 'none', 'self' or origins separated by spaces\n", *frame)
		return 2
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(log)

	cfg := server.Config{
		Limits:         lim,
		AllowOrigins:   origins,
		FrameAncestors: *frame,
		Pages:          server.WebPages(),
		Static:         assets.FS,
		Logger:         log,
	}
	var eng *nsengine.Engine
	if err := nsengine.Probe(); err != nil {
		log.Warn("serving simulated labs only", "reason", err.Error())
		cfg.NoEngineReason = err.Error()
	} else {
		eng, err = nsengine.New(nsengine.Config{Logger: log})
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

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
