package server

import (
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Server serves nslab over HTTP. Make one with New, serve it with
// HTTPServer (or as an http.Handler), end it with Close.
type Server struct {
	cfg  Config
	lim  Limits
	log  *slog.Logger
	mux  *http.ServeMux
	ws   websocket.Upgrader
	live bool

	mu        sync.Mutex
	sessions  map[string]*session
	pending   int            // labs being spawned, counted against MaxLabs
	perClient map[string]int // labs (and spawns) per client address
	creates   map[string][]time.Time
	closed    bool

	stop   chan struct{}
	reaped sync.WaitGroup

	keepalive keepalive
	conns     *connLimit

	// snapshots holds a token per lab inspection under way, for the state
	// stream and the API alike: at most half the CPUs read procfs at once.
	snapshots chan struct{}

	lessons *lessons

	peakQueued  atomic.Int64
	peakUnacked atomic.Int64
}

// New returns a server for cfg; it runs until Close.
func New(cfg Config) *Server {
	s := &Server{
		cfg:       cfg,
		lim:       cfg.Limits.withDefaults(),
		log:       cfg.Logger,
		live:      cfg.Engine != nil,
		sessions:  map[string]*session{},
		perClient: map[string]int{},
		creates:   map[string][]time.Time{},
		stop:      make(chan struct{}),
		snapshots: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2)),
	}
	s.conns = newConnLimit(s.lim.MaxConns, s.lim.MaxConnsPerClient)
	s.keepalive = keepalive{ping: pingEvery, read: readTimeout, write: writeTimeout}
	if k := cfg.keepalive; k.ping > 0 && k.read > 0 && k.write > 0 {
		s.keepalive = k
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	ls, err := newLessons(cfg.Lessons)
	if err != nil {
		// Config.Lessons must name each lesson once (nslab serve
		// checks); a server that would serve one of two at random
		// serves neither.
		s.log.Error("serving no lessons", "err", err)
		ls, _ = newLessons(nil)
	}
	s.lessons = ls
	if s.cfg.FrameAncestors == "" {
		s.cfg.FrameAncestors = "'none'"
	}
	s.ws = websocket.Upgrader{
		HandshakeTimeout: 10 * time.Second,
		ReadBufferSize:   4 << 10,
		WriteBufferSize:  16 << 10,
		Subprotocols:     []string{subprotocol},
		CheckOrigin:      s.originAllowed,
		// Errors before the upgrade are written by handleWS itself, as
		// JSON like every other API error.
		Error: func(w http.ResponseWriter, r *http.Request, status int, reason error) {
			writeError(w, status, "websocket handshake: "+reason.Error())
		},
	}
	s.routes()
	s.reaped.Add(1)
	go s.reap()
	return s
}

// Mode is "live" with an engine and "sim" without.
func (s *Server) Mode() string {
	if s.live {
		return "live"
	}
	return "sim"
}

// HTTPServer returns an http.Server for s with timeouts against slow
// clients: a client that sends its headers or body too slowly, or reads
// its answer too slowly, is dropped. Websockets set their own deadlines.
// It also bounds the connections held open (Limits.MaxConns): serve s
// with it, not as a bare Handler, where clients are not trusted.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ConnState:         s.conns.connState,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      s.lim.ExecTimeout + 20*time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
}

// ServeHTTP serves the pages, the API and the websocket.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	s.mux.ServeHTTP(w, r)
}

// Close ends every lab (their connections are told why) and stops the
// server's own goroutines. It does not close the engine: whoever made the
// engine closes it, after Close.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	all := make([]*session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		all = append(all, ss)
	}
	s.mu.Unlock()
	close(s.stop)
	var wg sync.WaitGroup
	for _, ss := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ss.end("the server is shutting down")
		}()
	}
	wg.Wait()
	s.reaped.Wait()
	return nil
}

// Stats are counters of what the server holds for its clients, for
// monitoring and for tests that check the bounds.
type Stats struct {
	Labs  int // labs running
	Conns int // websockets open
	// Queued is the bytes waiting in connections' send queues now;
	// PeakQueued the most ever waiting for one connection.
	Queued, PeakQueued int64
	// Unacked is the terminal output sent but not yet acknowledged, over
	// all terminals; PeakUnacked the most ever for one terminal.
	Unacked, PeakUnacked int64
	// PausedTerms counts terminals whose output is not being read because
	// their connection is behind (flow control).
	PausedTerms int
}

// Stats returns the current counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	all := make([]*session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		all = append(all, ss)
	}
	s.mu.Unlock()
	st := Stats{Labs: len(all), PeakQueued: s.peakQueued.Load(), PeakUnacked: s.peakUnacked.Load()}
	for _, ss := range all {
		ss.addStats(&st)
	}
	return st
}

// raise sets peak to v if v is higher.
func raise(peak *atomic.Int64, v int64) {
	for {
		p := peak.Load()
		if v <= p || peak.CompareAndSwap(p, v) {
			return
		}
	}
}

// reapEvery is how often sessions are checked against their limits:
// often enough for short limits in tests, at most once a second.
func (s *Server) reapEvery() time.Duration {
	d := time.Second
	for _, l := range []time.Duration{s.lim.Grace, s.lim.IdleTimeout, s.lim.MaxLifetime} {
		d = min(d, max(l/4, 10*time.Millisecond))
	}
	return d
}

// reap ends sessions past their limits and forgets old creation times.
func (s *Server) reap() {
	defer s.reaped.Done()
	t := time.NewTicker(s.reapEvery())
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case now := <-t.C:
			s.mu.Lock()
			var due []*session
			var reasons []string
			for _, ss := range s.sessions {
				if why := ss.expired(now); why != "" {
					due = append(due, ss)
					reasons = append(reasons, why)
				}
			}
			for c, ts := range s.creates {
				if len(ts) == 0 || now.Sub(ts[len(ts)-1]) > time.Minute {
					delete(s.creates, c)
				}
			}
			s.mu.Unlock()
			for i, ss := range due {
				go ss.end(reasons[i])
			}
		}
	}
}
