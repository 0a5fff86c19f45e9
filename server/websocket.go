package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/nslab/nslab/nsstate"
	"github.com/nslab/nslab/protocol"
)

// wsConn is one websocket of one browser tab: several terminals and the
// state stream of one lab, multiplexed. Three goroutines serve it: the
// reader (the HTTP handler's own, which owns the connection's life), the
// writer (the only one that writes to the socket) and the state streamer.
type wsConn struct {
	s   *Server
	ss  *session
	ws  *websocket.Conn
	log *slog.Logger

	// out is the send queue. Everything sent goes through it, so that
	// only the writer writes; what may sit in it is bounded by flow
	// control (terminal output) and by one message at a time (state).
	out    chan outFrame
	queued atomic.Int64 // bytes in out

	done       chan struct{} // closed when the connection is finished
	doneOnce   sync.Once
	writerDone chan struct{}
	closing    atomic.Bool // a close frame has been sent: only wait for the reply

	mu    sync.Mutex
	terms [protocol.MaxTerms]*terminal // the terminals this connection shows
	// toldNotOpen marks terminals whose dropped input has been reported
	// since they were last opened (notOpen).
	toldNotOpen [protocol.MaxTerms]bool
	sub         subscription

	snaps chan *nsstate.Snapshot // the newest snapshot for the streamer
	wake  chan struct{}          // the subscription changed
}

// subscription is what a connection wants streamed.
type subscription struct {
	state, views bool
	selected     string
	resend       bool // send the whole snapshot again
}

// outFrame is one message to send. kind is a websocket message type; for
// websocket.CloseMessage, code and data are the close frame's.
type outFrame struct {
	kind int
	code int
	data []byte
}

// originAllowed lets in browsers on the server's own pages (same scheme
// and host as the request) and on the origins configured; clients that send no Origin are not browsers and
// prove themselves by the token alone. A page of another site cannot
// leave Origin out; sandboxed frames and file: pages send "null", which
// is refused (cross-site websocket hijacking would come from there).
func (s *Server) originAllowed(r *http.Request) bool {
	vals := r.Header.Values("Origin")
	if len(vals) == 0 {
		return true
	}
	if len(vals) > 1 {
		return false
	}
	o := vals[0]
	u, err := url.Parse(o)
	// An origin is scheme://host[:port] and nothing else.
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") ||
		u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	// The server's own pages have the request's scheme: a page of the
	// same host over https is another origin when the request came in
	// plain (and the other way round). Behind a proxy that ends TLS, the
	// public https origin is listed with --allow-origin.
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if u.Scheme == scheme && strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, a := range s.cfg.AllowOrigins {
		if strings.EqualFold(strings.TrimSuffix(a, "/"), o) {
			return true
		}
	}
	return false
}

// handleWS upgrades GET /api/labs/{id}/ws and serves the connection until
// it ends.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	ss := s.authorize(w, r)
	if ss == nil {
		return
	}
	if !s.originAllowed(r) {
		writeError(w, http.StatusForbidden, "websocket from origin "+truncate(r.Header.Get("Origin"), 100)+" is not allowed; the server's own pages, or origins given with --allow-origin, are")
		return
	}
	c := &wsConn{
		s: s, ss: ss,
		log:        ss.log.With("remote", r.RemoteAddr),
		out:        make(chan outFrame, 64),
		done:       make(chan struct{}),
		writerDone: make(chan struct{}),
		sub:        subscription{state: true},
		snaps:      make(chan *nsstate.Snapshot, 1),
		wake:       make(chan struct{}, 1),
	}
	if err := ss.addConn(c); err == errEnded {
		writeError(w, http.StatusNotFound, errNoLab)
		return
	} else if err != nil {
		w.Header().Set("Retry-After", "10")
		writeError(w, http.StatusTooManyRequests, err.Error())
		return
	}
	ws, err := s.ws.Upgrade(w, r, nil)
	if err != nil {
		ss.removeConn(c)
		return // the upgrader has answered
	}
	c.ws = ws
	ws.SetReadLimit(wsReadLimit)
	ws.SetPongHandler(func(string) error {
		c.extendRead()
		return nil
	})
	c.log.Debug("websocket open")

	go c.writeLoop()
	c.sendJSON(protocol.Hello{Type: "hello", Lab: ss.id, Protocol: protocol.Version, Mode: "live"})
	if ss.lesson != nil {
		if msg, err := ss.lesson.panel(r.Context()); err != nil {
			c.log.Error("lesson panel", "err", err)
		} else {
			c.sendJSON(msg)
		}
	}
	if m, ok := ss.aud.ownerHello(); ok {
		c.sendJSON(m)
	}
	go c.streamState()
	ss.watch(c, true)

	c.readLoop()

	c.finish()
	<-c.writerDone
	ws.Close()
	c.mu.Lock()
	terms := c.terms
	c.terms = [protocol.MaxTerms]*terminal{}
	c.mu.Unlock()
	for _, t := range terms {
		if t != nil {
			t.detach(c)
		}
	}
	ss.watch(c, false)
	ss.removeConn(c)
	c.log.Debug("websocket closed")
}

// finish marks the connection finished: every send gives up.
func (c *wsConn) finish() {
	c.doneOnce.Do(func() { close(c.done) })
}

// extendRead pushes the read deadline out, unless the connection only
// waits for the client's close reply.
func (c *wsConn) extendRead() {
	if c.closing.Load() {
		return
	}
	c.ws.SetReadDeadline(time.Now().Add(c.s.keepalive.read))
	// The writer may have started closing in between; its shorter
	// deadline must win.
	if c.closing.Load() {
		c.ws.SetReadDeadline(time.Now().Add(closeWait))
	}
}

// readLoop reads and handles the client's messages until the connection
// fails or closes. After a protocol error it only drains what the client
// still sends, until its close reply.
func (c *wsConn) readLoop() {
	for {
		c.extendRead()
		kind, r, err := c.ws.NextReader()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) && !c.closing.Load() {
				c.log.Debug("websocket read", "err", err)
			}
			return
		}
		if c.closing.Load() {
			continue // NextReader discards the rest
		}
		// Read more than a message may have, to tell an oversized
		// message without reading all of it.
		data, err := io.ReadAll(io.LimitReader(r, protocol.MaxFrame+2))
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				return // the library has sent its own close (1009)
			}
			c.log.Debug("websocket read", "err", err)
			return
		}
		if len(data) > protocol.MaxFrame {
			c.fail("message of more than " + itoa(protocol.MaxFrame) + " bytes, the most a message may have")
			continue
		}
		if err := c.handle(kind, data); err != nil {
			c.fail(err.Error())
		}
	}
}

// fail tells the client what it did wrong and closes the connection as a
// policy violation. The lab goes on. (Input or a resize for a terminal
// that is not open is no violation: see notOpen.)
func (c *wsConn) fail(msg string) {
	c.log.Info("websocket protocol error", "err", msg)
	c.sendJSON(protocol.Error{Type: "error", Message: msg})
	c.sendClose(websocket.ClosePolicyViolation, msg)
}

// end tells the client the lab has ended, and closes.
func (c *wsConn) end(reason string) {
	c.sendJSON(protocol.Ended{Type: "ended", Reason: reason})
	c.sendClose(websocket.CloseNormalClosure, "lab ended")
}

// handle acts on one message.
func (c *wsConn) handle(kind int, data []byte) error {
	if kind == websocket.BinaryMessage {
		return c.handleInput(data)
	}
	m, err := protocol.Decode(data)
	if err != nil {
		return err
	}
	c.ss.touch()
	switch m.Type {
	case "open":
		c.open(int(*m.Term), uint16(*m.Rows), uint16(*m.Cols))
	case "resize":
		t := c.term(int(*m.Term))
		if t == nil || t.exitReported() {
			// Like input, a resize may race the shell's exit (the window
			// changed size as the shell ended): dropped, not fatal.
			c.notOpen(int(*m.Term), "resize")
			return nil
		}
		if err := t.resize(c, uint16(*m.Rows), uint16(*m.Cols)); err != nil {
			// The server's failure, not the client's.
			c.log.Warn("resize terminal", "term", t.n, "err", err)
			c.sendJSON(termError{Type: "error", Term: t.n, Message: err.Error()})
		}
	case "ack":
		if t := c.term(int(*m.Term)); t != nil {
			t.ack(c, *m.Bytes)
		}
		// An ack for a terminal that just exited is no error: it raced
		// the exit.
	case "close":
		n := int(*m.Term)
		c.mu.Lock()
		t := c.terms[n]
		c.terms[n] = nil
		c.mu.Unlock()
		// Only the connection that shows a terminal may end it.
		if t != nil && t.shownIn(c) {
			t.close()
		}
	case "subscribe":
		c.mu.Lock()
		if m.State != nil {
			if *m.State && !c.sub.state {
				c.sub.resend = true
			}
			c.sub.state = *m.State
		}
		if m.Views != nil {
			c.sub.views = *m.Views
		}
		on := c.sub.state || c.sub.views
		c.mu.Unlock()
		c.ss.watch(c, on)
		c.poke()
	case "select":
		c.mu.Lock()
		c.sub.selected = *m.Set
		c.mu.Unlock()
		c.poke()
		c.ss.aud.follow(*m.Set)
	case "ping":
		c.sendJSON(protocol.Bare{Type: "pong"})
	}
	return nil
}

// handleInput writes a binary message's bytes to its terminal.
func (c *wsConn) handleInput(data []byte) error {
	n, input, err := protocol.SplitFrame(data)
	if err != nil {
		return err
	}
	t := c.term(n)
	if t == nil || t.exitReported() {
		// The user typed while the shell exited: the "exit" message and
		// the keystrokes crossed. A benign race, so the connection stays.
		// The "exit" goes out before the connection forgets the terminal,
		// so a terminal whose exit was told counts as not open too.
		c.notOpen(n, "input")
		return nil
	}
	c.ss.touch()
	return t.input(c, input)
}

// notOpen drops input or a resize for terminal n, which this connection
// does not show, and says so once until n is opened again: a user who
// keeps typing into an ended shell gets one message, not one per key.
func (c *wsConn) notOpen(n int, what string) {
	c.mu.Lock()
	told := c.toldNotOpen[n]
	c.toldNotOpen[n] = true
	c.mu.Unlock()
	if !told {
		c.sendJSON(protocol.Error{Type: "error", Message: what + " for terminal " + itoa(int64(n)) +
			", which is not open on this connection, was dropped (open it to start a new shell)"})
	}
}

// termError is an error of the server's about one terminal: the
// connection stays.
type termError struct {
	Type    string `json:"type"` // "error"
	Term    int    `json:"term"`
	Message string `json:"message"`
}

// open starts terminal n or attaches to it. A failure is the server's
// (no PTY left, the lab ending), not the client's: the client is told,
// for terminal n, and the connection stays.
func (c *wsConn) open(n int, rows, cols uint16) {
	report := func(msg string) {
		c.sendJSON(termError{Type: "error", Term: n, Message: msg})
	}
	// A terminal whose shell ends between the lookup and the attach is
	// replaced by a new one on the second try.
	for try := 0; try < 2; try++ {
		t, err := c.ss.terminal(n, rows, cols)
		if err == errEnded {
			return // "ended" follows
		}
		if err != nil {
			c.log.Warn("open terminal", "term", n, "err", err)
			report("could not open terminal " + itoa(int64(n)) + ": " + err.Error())
			return
		}
		c.mu.Lock()
		c.terms[n] = t
		c.toldNotOpen[n] = false
		c.mu.Unlock()
		if t.attach(c) {
			// A re-attached terminal keeps the size it had; the
			// browser's may differ.
			if err := t.resize(c, rows, cols); err != nil {
				c.log.Warn("open terminal", "term", n, "err", err)
				report(err.Error())
			}
			return
		}
		c.forget(t)
	}
	report("terminal " + itoa(int64(n)) + " ended while opening; open it again")
}

// term returns the terminal n this connection shows, or nil.
func (c *wsConn) term(n int) *terminal {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.terms[n]
}

// forget stops treating t as shown here: it ended.
func (c *wsConn) forget(t *terminal) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.terms[t.n] == t {
		c.terms[t.n] = nil
	}
}

// poke wakes the state streamer.
func (c *wsConn) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// sendJSON queues a text message. It waits while the queue is full, and
// gives up when the connection is finished.
func (c *wsConn) sendJSON(v any) bool {
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(v); err != nil {
		c.log.Error("encode message", "err", err)
		return false
	}
	return c.enqueue(outFrame{kind: websocket.TextMessage, data: bytes.TrimRight(b.Bytes(), "\n")}, nil)
}

// sendBinary queues terminal output; it also gives up when gone closes.
func (c *wsConn) sendBinary(frame []byte, gone <-chan struct{}) bool {
	return c.enqueue(outFrame{kind: websocket.BinaryMessage, data: frame}, gone)
}

// sendClose queues a close frame; the writer stops after it.
func (c *wsConn) sendClose(code int, reason string) {
	// A close frame's payload is at most 125 bytes: 2 of code, the rest
	// reason.
	c.enqueue(outFrame{kind: websocket.CloseMessage, code: code, data: []byte(truncate(reason, 120))}, nil)
}

func (c *wsConn) enqueue(f outFrame, gone <-chan struct{}) bool {
	n := int64(len(f.data))
	raise(&c.s.peakQueued, c.queued.Add(n))
	select {
	case c.out <- f:
		return true
	case <-c.done:
	case <-gone:
	}
	c.queued.Add(-n)
	return false
}

// writeLoop writes the queue to the socket and pings the client. A write
// that takes longer than keepalive.write ends the connection: the client is
// too slow or gone.
func (c *wsConn) writeLoop() {
	defer close(c.writerDone)
	ping := time.NewTicker(c.s.keepalive.ping)
	defer ping.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-ping.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.s.keepalive.write)); err != nil {
				c.abort(err)
				return
			}
		case f := <-c.out:
			c.queued.Add(-int64(len(f.data)))
			c.ws.SetWriteDeadline(time.Now().Add(c.s.keepalive.write))
			if f.kind == websocket.CloseMessage {
				c.closing.Store(true)
				c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(f.code, string(f.data)))
				c.ws.SetReadDeadline(time.Now().Add(closeWait))
				c.drain()
				return
			}
			if err := c.ws.WriteMessage(f.kind, f.data); err != nil {
				c.abort(err)
				return
			}
		}
	}
}

// drain empties the queue until the connection is finished, so that
// senders do not wait for a writer that has stopped.
func (c *wsConn) drain() {
	for {
		select {
		case f := <-c.out:
			c.queued.Add(-int64(len(f.data)))
		case <-c.done:
			return
		}
	}
}

// abort ends a connection that cannot be written to: the reader's read
// fails and the handler cleans up.
func (c *wsConn) abort(err error) {
	c.log.Debug("websocket write", "err", err)
	c.finish()
	c.ws.NetConn().Close()
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// truncate shortens s to at most n bytes (and an ellipsis) for an error
// message, cutting between characters: a close frame's reason must be
// valid UTF-8.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
