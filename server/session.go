package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/protocol"
)

// session is a live lab as the server holds it: the lab, its token, its
// terminals and the connections watching it.
type session struct {
	s       *Server
	id      string
	token   string
	client  string
	lab     Lab
	created time.Time
	log     *slog.Logger
	// ctx is cancelled when the session ends; processes started for the
	// session, whatever request started them, live under it.
	ctx    context.Context
	cancel context.CancelFunc

	mu        sync.Mutex
	terms     [protocol.MaxTerms]*terminal
	conns     map[*wsConn]struct{}
	hadConn   bool // a websocket has been connected: Grace applies
	execs     int  // exec requests running
	lastUsed  time.Time
	ending    bool
	watchers  map[*wsConn]struct{}
	watchStop chan struct{} // non-nil while the state watcher runs

	ended chan struct{} // closed when end has finished

	activeAt atomic.Int64 // when the lab was last in use, Unix nanoseconds

	cache stateCache // the lab's newest snapshot, for the stream and the API

	// lesson is the lab's lesson, nil for a lab without one; set before
	// the session is shared.
	lesson *lessonRun

	// aud is the lab's audience (audience.go), rec its recording
	// (recording.go); taps, both of them, are told what the lab shows
	// (labtap.go). All set before the session is shared.
	aud  *audience
	rec  *labRecording
	taps []labTap
}

// adopt turns a place reserved by admit and a spawned lab into a session,
// with lesson l when it is not nil.
func (s *Server) adopt(client string, lab Lab, now time.Time, l *lesson.Lesson) (*session, error) {
	ctx, cancel := context.WithCancel(context.Background())
	ss := &session{
		s: s, id: newLabID(), token: newToken(), client: client, lab: lab,
		created: now, lastUsed: now,
		ctx: ctx, cancel: cancel,
		conns:    map[*wsConn]struct{}{},
		watchers: map[*wsConn]struct{}{},
		ended:    make(chan struct{}),
	}
	ss.log = s.log.With("lab", ss.id, "engine_lab", lab.ID())
	ss.aud = newAudience(ss)
	ss.rec = newLabRecording(now, ss.id, s.cfg.recordingCap)
	ss.taps = []labTap{ss.aud, ss.rec}
	if l != nil {
		ss.lesson = newLessonRun(ss, l, s.cfg.checkTimeout)
	}
	s.mu.Lock()
	s.pending--
	if s.closed {
		s.dropClient(client)
		s.mu.Unlock()
		cancel()
		lab.Close()
		return nil, errors.New("the server is shutting down")
	}
	s.sessions[ss.id] = ss
	s.mu.Unlock()
	if ss.lesson != nil {
		go ss.lesson.run()
	}
	go func() {
		select {
		case <-lab.Done():
			ss.end("the lab stopped")
		case <-ctx.Done():
		}
	}()
	return ss, nil
}

// lookup finds the session id whose token is token; nil if there is none
// (or the token is wrong: callers must not tell the two apart).
func (s *Server) lookup(id, token string) *session {
	return s.lookupWith(id, token, func(ss *session) bool {
		return token != "" && tokenEqual(token, ss.token)
	})
}

// lookupWith finds the session id if opens says token opens it; nil if
// there is none or it does not. The owner's token (lookup) and a viewer
// token (lookupViewer) are looked up this way.
func (s *Server) lookupWith(id, token string, opens func(*session) bool) *session {
	s.mu.Lock()
	ss := s.sessions[id]
	s.mu.Unlock()
	if ss == nil {
		// Compare anyway, so that an unknown id costs the same time as a
		// wrong token.
		tokenEqual(token, "no-such-lab-but-compare-all-the-same-0000")
		return nil
	}
	if !opens(ss) {
		return nil
	}
	return ss
}

// isEnding reports whether the session has begun to end.
func (ss *session) isEnding() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.ending
}

// touch records that the lab was used now.
func (ss *session) touch() {
	ss.mu.Lock()
	ss.lastUsed = time.Now()
	ss.mu.Unlock()
}

// expired says why the session should end at now, or "".
func (ss *session) expired(now time.Time) string {
	lim := ss.s.lim
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.ending {
		return ""
	}
	if now.Sub(ss.created) >= lim.MaxLifetime {
		return fmt.Sprintf("the lab reached its maximum lifetime (%s)", lim.MaxLifetime)
	}
	if len(ss.conns) > 0 || ss.execs > 0 {
		return ""
	}
	if ss.hadConn {
		if now.Sub(ss.lastUsed) >= lim.Grace {
			return fmt.Sprintf("no connection came back within %s", lim.Grace)
		}
		return ""
	}
	if now.Sub(ss.lastUsed) >= lim.IdleTimeout {
		return fmt.Sprintf("the lab was idle for %s", lim.IdleTimeout)
	}
	return ""
}

// end ends the session once: connections are told why and closed,
// terminals closed, the lab closed. Later calls wait for the first.
func (ss *session) end(reason string) {
	ss.mu.Lock()
	if ss.ending {
		ss.mu.Unlock()
		<-ss.ended
		return
	}
	ss.ending = true
	conns := make([]*wsConn, 0, len(ss.conns))
	for c := range ss.conns {
		conns = append(conns, c)
	}
	terms := ss.terms
	if ss.watchStop != nil {
		close(ss.watchStop)
		ss.watchStop = nil
	}
	ss.mu.Unlock()

	ss.s.mu.Lock()
	if ss.s.sessions[ss.id] == ss {
		delete(ss.s.sessions, ss.id)
		ss.s.dropClient(ss.client)
	}
	ss.s.mu.Unlock()

	for _, c := range conns {
		go c.end(reason)
	}
	ss.aud.end(reason)
	for _, t := range terms {
		if t != nil {
			t.close()
		}
	}
	ss.cancel()
	if err := ss.lab.Close(); err != nil {
		ss.log.Warn("close lab", "err", err)
	}
	for _, t := range terms {
		if t != nil {
			<-t.finished
		}
	}
	ss.log.Info("lab ended", "reason", reason, "age", time.Since(ss.created).Round(time.Second))
	close(ss.ended)
}

// terminal returns terminal n, started with the given size if it is not
// running.
func (ss *session) terminal(n int, rows, cols uint16) (*terminal, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.ending {
		return nil, errEnded
	}
	old := ss.terms[n]
	if old != nil && old.running() {
		return old, nil
	}
	if old != nil {
		// The shell has ended but a job it left in the background still
		// holds the PTY. As a terminal emulator does when its window
		// closes, the master is closed: the job's terminal hangs up.
		old.close()
	}
	// Started under ss.mu so that two connections opening the same
	// terminal get one shell; starting a process is quick.
	t, err := startTerminal(ss.ctx, ss, n, rows, cols)
	if err != nil {
		return nil, err
	}
	ss.terms[n] = t
	if n == 0 && ss.lesson != nil {
		// A lesson's foreground scripts go to the learner's first
		// terminal, typed as the shell starts.
		ss.lesson.typeForeground(t)
	}
	return t, nil
}

// runningTerminal returns terminal n if its shell runs, else nil.
func (ss *session) runningTerminal(n int) *terminal {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if t := ss.terms[n]; t != nil && t.running() {
		return t
	}
	return nil
}

// broadcast sends v to every connection of the lab, without waiting for
// a slow one.
func (ss *session) broadcast(v any) {
	ss.mu.Lock()
	conns := make([]*wsConn, 0, len(ss.conns))
	for c := range ss.conns {
		conns = append(conns, c)
	}
	ss.mu.Unlock()
	for _, c := range conns {
		go c.sendJSON(v)
	}
}

// terminalFinished frees t's slot once its pump has ended.
func (ss *session) terminalFinished(t *terminal) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.terms[t.n] == t {
		ss.terms[t.n] = nil
	}
}

// errEnded is the error of work on a lab that has ended meanwhile.
var errEnded = errors.New("the lab has ended")

// addConn registers c, unless the lab has ended (errEnded) or has its
// most connections already.
func (ss *session) addConn(c *wsConn) error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.ending {
		return errEnded
	}
	if len(ss.conns) >= ss.s.lim.MaxConnsPerLab {
		return fmt.Errorf("this lab already has %d connections, the most allowed", len(ss.conns))
	}
	ss.conns[c] = struct{}{}
	ss.hadConn = true
	return nil
}

// removeConn forgets c; the grace period starts when the last one goes.
func (ss *session) removeConn(c *wsConn) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.conns, c)
	ss.lastUsed = time.Now()
}

// execStarted counts an exec in, unless too many run already.
func (ss *session) execStarted() error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.ending {
		return errEnded
	}
	if ss.execs >= ss.s.lim.MaxExecsPerLab {
		return fmt.Errorf("%d commands are running in this lab already, the most allowed", ss.execs)
	}
	ss.execs++
	ss.lastUsed = time.Now()
	ss.active()
	return nil
}

func (ss *session) execDone() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.execs--
	ss.lastUsed = time.Now()
	ss.active()
}

// addStats adds the session's counters to st.
func (ss *session) addStats(st *Stats) {
	ss.mu.Lock()
	terms := ss.terms
	conns := make([]*wsConn, 0, len(ss.conns))
	for c := range ss.conns {
		conns = append(conns, c)
	}
	ss.mu.Unlock()
	st.Conns += len(conns)
	for _, c := range conns {
		st.Queued += c.queued.Load()
	}
	for _, t := range terms {
		if t != nil {
			t.stats(st)
		}
	}
}
