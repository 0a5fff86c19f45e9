package server

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/a-h/templ"
	"github.com/creack/pty"
	"github.com/gorilla/websocket"

	"github.com/nslab/nslab/nsstate"
	"github.com/nslab/nslab/protocol"
)

// An audience is the people who follow a lab read-only: a speaker's
// listeners on their phones, through a link the lab's owner made
// (POST /api/labs/{id}/viewers). A follower sees the lab's terminals and
// views live and can do nothing else: its websocket takes no input, no
// resize, no open; its token opens that websocket and nothing else in
// the API. The owner revokes every link at once (DELETE), which
// disconnects every follower.
//
// Fan-out never makes the owner wait: the owner's connection gets each
// chunk of terminal output first; then the chunk, like each rendering of
// the views, is encoded once (one websocket frame, wsFrame) and the same
// bytes queued to every follower without waiting. A follower whose
// queue is full is dropped to a catch-up (the terminals' replay rings
// and the latest views) and its queue emptied, so a slow phone never
// holds the terminal, the owner or another follower. What the followers
// still cost the owner (their writes' CPU) is measured by
// BenchmarkAudienceEcho (docs/BENCHMARKS.md).

// audience is one lab's viewer links and followers.
type audience struct {
	ss *session

	mu        sync.Mutex
	links     []string // viewer tokens, each a bearer secret of its own
	followers map[*follower]struct{}
	ended     bool
	selected  string        // the owner's selected set: followers see what the owner sees
	views     []byte        // the latest views frame, for catch-ups
	html      string        // its HTML
	render    chan struct{} // closed to stop the views renderer; nil while it is not running

	snaps   chan *nsstate.Snapshot // the newest snapshot for the renderer
	reView  chan struct{}          // the selection changed
	counted chan struct{}          // the counts changed: tell the owner

	// writing is held by the one follower writing now (follower.write).
	writing chan struct{}

	catchups atomic.Int64 // times a follower was dropped to a catch-up
	refused  atomic.Int64 // messages refused from followers
}

func newAudience(ss *session) *audience {
	a := &audience{
		ss:        ss,
		followers: map[*follower]struct{}{},
		snaps:     make(chan *nsstate.Snapshot, 1),
		reView:    make(chan struct{}, 1),
		counted:   make(chan struct{}, 1),
		writing:   make(chan struct{}, 1),
	}
	go a.tellOwner()
	return a
}

// Bounds of an audience (docs/protocol.md, "Audience links").
const (
	// maxViewerLinks is how many viewer links a lab may have at once.
	maxViewerLinks = 8
	// followerQueueBytes is how much live output and views may wait for
	// one follower; beyond it the follower is dropped to a catch-up.
	// A catch-up's own bytes (at most the rings and one views message)
	// do not count.
	followerQueueBytes = 256 << 10
	// followerBatch is the least time between two writes to one
	// follower (follower.writeLoop).
	followerBatch = 10 * time.Millisecond
	// followerTurn is how long a follower's write may wait for room in
	// its connection while it has the lab's turn to write
	// (follower.write).
	followerTurn = time.Millisecond
	// followerRefusals is how many refused messages a follower may send
	// (each answered with an error) before its connection is closed as a
	// policy violation.
	followerRefusals = 8
)

// errNotAudience is what a follower's refused message is answered with.
const errNotAudience = "this is a read-only audience connection: "

// audienceMsg tells the owner's connections how many follow.
type audienceMsg struct {
	Type      string `json:"type"` // "audience"
	Followers int    `json:"followers"`
	Links     int    `json:"links"`
}

// followHello is a follower's first message.
type followHello = protocol.Hello

// followOpened is "opened" for a follower: the terminal's size comes
// with it, since the follower cannot set it. The page clears terminal N
// and its replay follows.
type followOpened struct {
	Type string `json:"type"` // "opened" or "size"
	Term int    `json:"term"`
	Rows uint16 `json:"rows,omitempty"`
	Cols uint16 `json:"cols,omitempty"`
}

// audienceRoutes maps the audience's paths.
func (s *Server) audienceRoutes(m *http.ServeMux) {
	m.HandleFunc("POST /api/labs/{id}/viewers", s.handleViewersCreate)
	m.HandleFunc("DELETE /api/labs/{id}/viewers", s.handleViewersRevoke)
	m.HandleFunc("GET /api/labs/{id}/follow", s.handleFollow)
	m.HandleFunc("GET /watch/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		// As for /lab/{id}: the token stays in the fragment, and the
		// page says nothing about whether the lab exists.
		if !validLabID(id) || s.cfg.Pages.Audience == nil {
			s.notFound(w, r)
			return
		}
		s.page(w, r, func() templ.Component { return s.cfg.Pages.Audience(id) })
	})
}

// viewersBody answers POST /api/labs/{id}/viewers.
type viewersBody struct {
	URL   string `json:"url"`
	Links int    `json:"links"`
}

func (s *Server) handleViewersCreate(w http.ResponseWriter, r *http.Request) {
	ss := s.authorize(w, r)
	if ss == nil {
		return
	}
	if r.ContentLength != 0 {
		writeError(w, http.StatusBadRequest, "POST /api/labs/{id}/viewers takes no body")
		return
	}
	token, n, err := ss.aud.addLink()
	if err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	ss.log.Info("audience link made", "links", n)
	writeJSON(w, http.StatusCreated, viewersBody{URL: "/watch/" + ss.id + "#viewer=" + token, Links: n})
}

func (s *Server) handleViewersRevoke(w http.ResponseWriter, r *http.Request) {
	ss := s.authorize(w, r)
	if ss == nil {
		return
	}
	n := ss.aud.revoke("the lab's owner revoked the audience links")
	ss.log.Info("audience links revoked", "followers", n)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// lookupViewer finds the session id that viewer token opens; nil if
// none (or the token is wrong: callers must not tell the two apart).
func (s *Server) lookupViewer(id, token string) *session {
	return s.lookupWith(id, token, func(ss *session) bool { return ss.aud.isLink(token) })
}

// addLink makes a viewer token, unless the lab has its most.
func (a *audience) addLink() (string, int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ended {
		return "", 0, errEnded
	}
	if len(a.links) >= maxViewerLinks {
		return "", 0, errors.New("this lab has " + strconv.Itoa(maxViewerLinks) + " audience links already, the most allowed; revoke them (DELETE) to make new ones")
	}
	t := newToken()
	a.links = append(a.links, t)
	a.poke(a.counted)
	return t, len(a.links), nil
}

// isLink reports whether token is one of the lab's viewer tokens. Every
// link is compared, in constant time, whichever matches.
func (a *audience) isLink(token string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.isLinkLocked(token)
}

// isLinkLocked is isLink under a.mu.
func (a *audience) isLinkLocked(token string) bool {
	if token == "" {
		return false
	}
	ok := false
	for _, l := range a.links {
		if tokenEqual(token, l) {
			ok = true
		}
	}
	return ok
}

// revoke forgets every viewer link and disconnects every follower,
// telling them why; it returns how many followed.
func (a *audience) revoke(reason string) int {
	a.mu.Lock()
	a.links = nil
	fs := make([]*follower, 0, len(a.followers))
	for f := range a.followers {
		fs = append(fs, f)
	}
	a.mu.Unlock()
	for _, f := range fs {
		f.end(reason)
	}
	a.poke(a.counted)
	return len(fs)
}

// end revokes everything when the lab ends; no link works again.
func (a *audience) end(reason string) {
	a.mu.Lock()
	a.ended = true
	a.mu.Unlock()
	a.revoke(reason)
}

// counts returns the followers and links now.
func (a *audience) counts() audienceMsg {
	a.mu.Lock()
	defer a.mu.Unlock()
	return audienceMsg{Type: "audience", Followers: len(a.followers), Links: len(a.links)}
}

// ownerHello is the count for an owner's connection that just opened,
// if there is anything to count.
func (a *audience) ownerHello() (audienceMsg, bool) {
	m := a.counts()
	return m, m.Followers > 0 || m.Links > 0
}

// tellOwner sends the counts to the owner's connections whenever they
// changed, the newest last, until the lab ends.
func (a *audience) tellOwner() {
	for {
		select {
		case <-a.ss.ctx.Done():
			return
		case <-a.counted:
		}
		m := a.counts()
		a.ss.mu.Lock()
		conns := make([]*wsConn, 0, len(a.ss.conns))
		for c := range a.ss.conns {
			conns = append(conns, c)
		}
		a.ss.mu.Unlock()
		for _, c := range conns {
			c.sendJSON(m)
		}
		if !a.paceCounts() {
			return
		}
	}
}

// audienceCountEvery is the least time between two counts sent to the
// owner's connections (tellOwner).
const audienceCountEvery = 250 * time.Millisecond

// paceCounts waits audienceCountEvery after a count was sent to the
// owner, and reports false if the lab ended meanwhile. It stops
// followers that come and go as fast as they can (one viewer link is
// enough) from flooding the owner's connection and page with a count
// per arrival and per departure: whatever changed meanwhile goes as one
// count, the newest.
func (a *audience) paceCounts() bool {
	t := time.NewTimer(audienceCountEvery)
	defer t.Stop()
	select {
	case <-a.ss.ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// poke wakes whoever waits on ch, without waiting.
func (a *audience) poke(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// watched reports whether the lab's state should be snapshotted for the
// audience. Called under ss.mu.
func (a *audience) watched() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.followers) > 0
}

// follow makes the followers' views show set, as the owner's do.
func (a *audience) follow(set string) {
	a.mu.Lock()
	a.selected = set
	a.mu.Unlock()
	a.poke(a.reView)
}

// termOutput queues frame to every follower that shows t, encoded once.
func (a *audience) termOutput(t *terminal, _ time.Time, frame []byte, end int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.followers) == 0 {
		return
	}
	pm := wsFrame(opBinary, frame)
	for f := range a.followers {
		if f.stale {
			continue
		}
		if f.shows[t.n] != t {
			// A terminal the follower has not caught up with (new, or
			// started again): a catch-up brings its replay. One under
			// way reads the ring later, or is followed by another.
			if !f.catching {
				f.dropToCatchUp(false)
			}
			continue
		}
		if end <= f.from[t.n] {
			continue // the catch-up's replay held it
		}
		f.queue(pm)
	}
}

func (a *audience) termResized(t *terminal, _ time.Time, rows, cols uint16) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.followers) == 0 {
		return
	}
	b, _ := json.Marshal(followOpened{Type: "size", Term: t.n, Rows: rows, Cols: cols})
	pm := wsFrame(opText, b)
	for f := range a.followers {
		if !f.stale && f.shows[t.n] == t {
			f.queue(pm)
		}
	}
}

// labState hands snap to the views renderer, replacing one it has not
// taken yet: followers skip snapshots, never wait for them.
func (a *audience) labState(_ time.Time, snap *nsstate.Snapshot) {
	select {
	case <-a.snaps:
	default:
	}
	select {
	case a.snaps <- snap:
	default:
	}
}

// renderViews renders the views once per change of the lab's state or
// the owner's selection, for every follower, until stop closes.
func (a *audience) renderViews(stop chan struct{}) {
	views := a.ss.s.cfg.Pages.Views
	if views == nil {
		return
	}
	var latest, rendered *nsstate.Snapshot
	var renderedSel string
	for {
		select {
		case <-stop:
			return
		case latest = <-a.snaps:
		case <-a.reView:
		}
		a.mu.Lock()
		sel := a.selected
		a.mu.Unlock()
		if latest == nil || (rendered != nil && renderedSel == sel && nsstate.Equal(rendered, latest)) {
			continue
		}
		var b bytes.Buffer
		if err := views(latest, sel).Render(a.ss.ctx, &b); err != nil {
			a.ss.log.Error("render views for the audience", "err", err)
			continue
		}
		rendered, renderedSel = latest, sel
		html := b.String()
		msg, _ := json.Marshal(protocol.Views{Type: "views", HTML: html})
		pm := wsFrame(opText, msg)
		a.mu.Lock()
		if html != a.html {
			a.html, a.views = html, pm
			for f := range a.followers {
				if !f.stale {
					f.queue(pm)
				}
			}
		}
		a.mu.Unlock()
	}
}

// errNotLink is join's answer to a token that is no longer a link.
var errNotLink = errors.New("not a viewer link of this lab")

// join adds f, which came with token, unless token is no longer one of
// the links (joinStillLinked), the lab has its most followers or has
// ended.
func (a *audience) join(f *follower, token string) error {
	a.mu.Lock()
	if a.ended {
		a.mu.Unlock()
		return errEnded
	}
	if !a.joinStillLinked(token) {
		a.mu.Unlock()
		return errNotLink
	}
	if most := a.ss.s.lim.MaxFollowersPerLab; len(a.followers) >= most {
		a.mu.Unlock()
		return errors.New("this lab already has " + strconv.Itoa(most) + " followers, the most allowed")
	}
	a.followers[f] = struct{}{}
	if a.render == nil {
		a.render = make(chan struct{})
		go a.renderViews(a.render)
	}
	a.mu.Unlock()
	a.poke(a.counted)
	a.ss.watch(nil, false) // the lab is snapshotted for followers too
	return nil
}

// joinStillLinked checks the follower's token again as it joins, under
// a.mu, where revoke forgets the links and collects the followers to
// disconnect. It stops a follower that was let in by lookupViewer just
// before the links were revoked from joining just after, missed by
// revoke, and following on with a revoked link. Called under a.mu.
func (a *audience) joinStillLinked(token string) bool {
	return a.isLinkLocked(token)
}

// leave removes f.
func (a *audience) leave(f *follower) {
	a.mu.Lock()
	delete(a.followers, f)
	if len(a.followers) == 0 && a.render != nil {
		close(a.render)
		a.render = nil
		a.views, a.html = nil, ""
	}
	a.mu.Unlock()
	a.poke(a.counted)
	a.ss.watch(nil, false)
}

// follower is one read-only websocket of a lab's audience. Two
// goroutines serve it: the reader (the HTTP handler's, which refuses
// whatever the follower sends but ping) and the writer.
type follower struct {
	a   *audience
	ws  *websocket.Conn
	log *slog.Logger

	// Under a.mu: what waits to be written, and which terminal (by
	// identity) each terminal number shows, so that output of a newer
	// shell is never appended to an older one's screen.
	q      [][]byte // websocket frames (wsFrame), shared with other followers
	qBytes int      // live bytes in q (a catch-up's do not count)
	shows  [protocol.MaxTerms]*terminal
	from   [protocol.MaxTerms]int64 // shows[n].written when its replay was taken
	stale  bool                     // q was dropped: a catch-up comes before anything else
	// catching: a catch-up is under way; output of a terminal it has not
	// reached yet will be in its replay.
	catching bool
	wake     chan struct{}
	closed   bool   // no more queueing: the close frame follows what is in q
	bye      []byte // the close frame's payload, once closed

	done     chan struct{}
	doneOnce sync.Once
	closing  atomic.Bool
	refusals int // the reader's count of refused messages
}

// queue appends pm (n bytes) for f, or drops f to a catch-up when its
// queue is full. Called under a.mu; never waits.
func (f *follower) queue(pm []byte) {
	if f.closed {
		return
	}
	n := len(pm)
	if f.qBytes+n > followerQueueBytes {
		f.dropToCatchUp(true)
		return
	}
	f.q = append(f.q, pm)
	f.qBytes += n
	f.a.poke(f.wake)
}

// dropToCatchUp empties f's queue: the writer sends a catch-up next.
// behind says the follower fell behind (counted), rather than a new
// terminal needing its first replay. Called under a.mu.
func (f *follower) dropToCatchUp(behind bool) {
	if f.closed {
		return
	}
	if behind {
		f.a.catchups.Add(1)
		f.log.Debug("follower behind: dropped to a catch-up", "queued", f.qBytes)
	}
	f.q, f.qBytes, f.stale = nil, 0, true
	f.a.poke(f.wake)
}

// take returns what waits for f, or reports that a catch-up is due;
// bye is the close frame's payload when the close frame is to follow q.
func (f *follower) take() (q [][]byte, catchUp bool, bye []byte) {
	f.a.mu.Lock()
	defer f.a.mu.Unlock()
	if f.stale {
		return nil, true, nil
	}
	q = f.q
	f.q, f.qBytes = nil, 0
	if f.closed {
		bye = f.bye
	}
	return q, false, bye
}

// catchUp queues each running terminal's "opened" with its size and its
// replay ring, then the latest views. Each ring is read under its
// terminal's lock with the count of bytes it was written (from), so the
// live output queued after it starts where the replay ends, without a
// byte lost or repeated; live output queued before it is cleared on the
// follower's screen by "opened".
func (f *follower) catchUp() {
	a := f.a
	a.mu.Lock()
	f.stale, f.catching = false, true
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		f.catching = false
		a.mu.Unlock()
	}()
	a.ss.mu.Lock()
	terms := a.ss.terms
	a.ss.mu.Unlock()
	for n, t := range terms {
		if t == nil {
			continue
		}
		t.mu.Lock()
		if t.closed {
			t.mu.Unlock()
			continue
		}
		replay, written := t.ring.Bytes(), t.written
		opened := followOpened{Type: "opened", Term: n}
		if ws, err := pty.GetsizeFull(t.pty); err == nil {
			opened.Rows, opened.Cols = ws.Rows, ws.Cols
		}
		b, _ := json.Marshal(opened)
		a.mu.Lock()
		if f.stale || f.closed {
			a.mu.Unlock()
			t.mu.Unlock()
			return // behind again already: the next catch-up does it
		}
		f.push(opText, b)
		for len(replay) > 0 {
			k := min(len(replay), readChunk)
			f.push(opBinary, protocol.Frame(n, replay[:k]))
			replay = replay[k:]
		}
		f.shows[n], f.from[n] = t, written
		a.mu.Unlock()
		t.mu.Unlock()
	}
	a.mu.Lock()
	if a.views != nil && !f.stale && !f.closedSinceCatchUp() {
		f.q = append(f.q, a.views)
	}
	a.mu.Unlock()
	a.poke(f.wake)
}

// closedSinceCatchUp reports whether f was closed (links revoked, lab
// ended) while its catch-up ran. It stops the catch-up from queueing the
// latest views after the "ended" message, where the writer would send a
// revoked follower the lab's state rendered after the revoke. Called
// under a.mu.
func (f *follower) closedSinceCatchUp() bool {
	return f.closed
}

// push queues a message of the catch-up's own. Called under a.mu.
func (f *follower) push(op byte, data []byte) {
	f.q = append(f.q, wsFrame(op, data))
}

// handleFollow upgrades GET /api/labs/{id}/follow, with a viewer token,
// and serves the follower until it leaves, the links are revoked or the
// lab ends.
func (s *Server) handleFollow(w http.ResponseWriter, r *http.Request) {
	ss := s.lookupViewer(r.PathValue("id"), requestToken(r))
	if ss == nil {
		writeError(w, http.StatusNotFound, errNoLab)
		return
	}
	if !s.originAllowed(r) {
		writeError(w, http.StatusForbidden, "websocket from origin "+truncate(r.Header.Get("Origin"), 100)+" is not allowed; the server's own pages, or origins given with --allow-origin, are")
		return
	}
	f := &follower{
		a:    ss.aud,
		log:  ss.log.With("remote", r.RemoteAddr, "follower", true),
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
		// The first thing a follower gets is a catch-up.
		stale: true,
	}
	f.wake <- struct{}{} // for that catch-up
	if err := ss.aud.join(f, requestToken(r)); err == errEnded || err == errNotLink {
		writeError(w, http.StatusNotFound, errNoLab)
		return
	} else if err != nil {
		w.Header().Set("Retry-After", "10")
		writeError(w, http.StatusTooManyRequests, err.Error())
		return
	}
	ws, err := s.ws.Upgrade(w, r, nil)
	if err != nil {
		ss.aud.leave(f)
		return
	}
	f.ws = ws
	ws.SetReadLimit(wsReadLimit)
	ws.SetPongHandler(func(string) error {
		f.extendRead()
		return nil
	})
	// Only the writer writes to a follower's connection (follower.write
	// writes frames of its own): the library's answers to a ping and to
	// a close go through it, or not at all.
	ws.SetPingHandler(func(data string) error {
		f.extendRead()
		f.queueOwn(wsFrame(opPong, []byte(data)))
		return nil
	})
	ws.SetCloseHandler(func(int, string) error { return nil })
	f.log.Debug("follower connected")
	hello, _ := json.Marshal(followHello{Type: "hello", Lab: ss.id, Protocol: protocol.Version, Mode: "follow"})
	ws.SetWriteDeadline(time.Now().Add(s.keepalive.write))
	if err := ws.WriteMessage(websocket.TextMessage, hello); err != nil {
		ws.Close()
		ss.aud.leave(f)
		return
	}
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		f.writeLoop()
	}()
	f.readLoop()
	f.finish()
	<-writerDone
	ws.Close()
	ss.aud.leave(f)
	f.log.Debug("follower gone")
}

// extendRead pushes the read deadline out, unless the connection only
// waits for the client's close reply.
func (f *follower) extendRead() {
	if !f.closing.Load() {
		f.ws.SetReadDeadline(time.Now().Add(f.a.ss.s.keepalive.read))
	}
}

func (f *follower) finish() {
	f.doneOnce.Do(func() { close(f.done) })
}

// readLoop reads what the follower sends: a ping is answered, anything
// else refused with an error (a follower can do nothing to the lab), and
// after followerRefusals of them, or one malformed message, the
// connection is closed as a policy violation.
func (f *follower) readLoop() {
	for {
		f.extendRead()
		kind, r, err := f.ws.NextReader()
		if err != nil {
			return
		}
		if f.closing.Load() {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(r, protocol.MaxFrame+2))
		if err != nil {
			return
		}
		if len(data) > protocol.MaxFrame {
			f.fail("message of more than " + itoa(protocol.MaxFrame) + " bytes, the most a message may have")
			continue
		}
		if msg := f.refusal(kind, data); msg != "" {
			if msg[0] == '!' {
				f.fail(msg[1:])
				continue
			}
			f.a.refused.Add(1)
			f.refusals++
			f.log.Info("follower message refused", "err", msg, "refusals", f.refusals)
			if f.refusals >= followerRefusals {
				f.fail(msg + " (" + itoa(int64(f.refusals)) + " refused messages: closing)")
				continue
			}
			f.sendNow(protocol.Error{Type: "error", Message: msg})
		}
	}
}

// refusal says why a follower's message is refused: "" for a ping
// (answered), "!"+why for a malformed one, else why.
func (f *follower) refusal(kind int, data []byte) string {
	if kind == websocket.BinaryMessage {
		if n, _, err := protocol.SplitFrame(data); err == nil {
			return errNotAudience + "input for terminal " + itoa(int64(n)) + " refused"
		}
		return errNotAudience + "binary frames refused"
	}
	m, err := protocol.Decode(data)
	if err != nil {
		return "!" + err.Error()
	}
	if m.Type == "ping" {
		f.sendNow(protocol.Bare{Type: "pong"})
		return ""
	}
	return errNotAudience + strconv.Quote(m.Type) + " refused"
}

// sendNow queues a message of this follower's own (an answer), encoded
// for it alone; it counts toward the queue like live output.
func (f *follower) sendNow(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	f.queueOwn(wsFrame(opText, b))
}

// queueOwn queues a frame of this follower's own, unless a catch-up is
// due (which the frame would not survive).
func (f *follower) queueOwn(frame []byte) {
	f.a.mu.Lock()
	if !f.stale {
		f.queue(frame)
	}
	f.a.mu.Unlock()
}

// fail tells the follower what it did wrong and closes the connection as
// a policy violation.
func (f *follower) fail(msg string) {
	f.log.Info("follower protocol error", "err", msg)
	b, _ := json.Marshal(protocol.Error{Type: "error", Message: msg})
	f.closeWith(b, websocket.ClosePolicyViolation, msg)
}

// end tells the follower it is over (links revoked, lab ended) and
// closes the connection normally.
func (f *follower) end(reason string) {
	b, _ := json.Marshal(protocol.Ended{Type: "ended", Reason: reason})
	f.closeWith(b, websocket.CloseNormalClosure, "no longer following")
}

// closeWith stops queueing and has the writer send what waits, then
// last (a message) and a close frame.
func (f *follower) closeWith(last []byte, code int, reason string) {
	f.a.mu.Lock()
	if f.closed {
		f.a.mu.Unlock()
		return
	}
	f.closed = true
	f.stale = false // no catch-up: q (empty if it was stale) is all that goes
	f.push(opText, last)
	f.bye = websocket.FormatCloseMessage(code, truncate(reason, 120))
	f.a.poke(f.wake)
	f.a.mu.Unlock()
}

// writeLoop writes what is queued and pings, until the connection is
// finished, closed, or a write takes longer than keepalive.write.
func (f *follower) writeLoop() {
	k := f.a.ss.s.keepalive
	ping := time.NewTicker(k.ping)
	defer ping.Stop()
	batch := time.NewTimer(0)
	defer batch.Stop()
	var last time.Time
	for {
		select {
		case <-f.done:
			return
		case <-ping.C:
			f.queueOwn(wsFrame(opPing, nil))
			continue
		case <-f.wake:
		}
		// What comes within followerBatch of the last write waits for the
		// next: a burst of output is written to a follower once, not once
		// per chunk. The first after a quiet moment goes at once.
		if wait := time.Until(last.Add(followerBatch)); wait > 0 {
			batch.Reset(wait)
			select {
			case <-f.done:
				return
			case <-batch.C:
			}
		}
		last = time.Now()
		for {
			q, catchUp, bye := f.take()
			if catchUp {
				f.catchUp()
				continue
			}
			if bye != nil {
				q = append(q, wsFrame(opClose, bye))
			}
			if len(q) > 0 && !f.write(q) {
				f.abort()
				return
			}
			if bye != nil {
				// Then wait for the client's close reply, briefly.
				f.closing.Store(true)
				f.ws.SetReadDeadline(time.Now().Add(closeWait))
				return
			}
			if len(q) == 0 {
				break
			}
		}
	}
}

// write writes q in one system call where it can, one follower of the
// lab at a time: however many follow, their writing takes one core, and
// the owner's terminal finds the others free. A follower whose
// connection takes no more bytes (its socket buffers full: it has not
// read for a while) gives up its turn at once and waits for room
// outside it, which takes no CPU; like the owner's, a write that takes
// keepalive.write ends the connection. The frames are written to the
// connection itself (only this goroutine writes to it), so a write cut
// short resumes where it stopped.
func (f *follower) write(q [][]byte) bool {
	conn := f.ws.NetConn()
	bufs := net.Buffers(q)
	select {
	case f.a.writing <- struct{}{}:
	case <-f.done:
		return false
	}
	conn.SetWriteDeadline(time.Now().Add(followerTurn))
	_, err := bufs.WriteTo(conn)
	<-f.a.writing
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		conn.SetWriteDeadline(time.Now().Add(f.a.ss.s.keepalive.write))
		_, err = bufs.WriteTo(conn)
	}
	if err != nil {
		f.log.Debug("follower write", "err", err)
		return false
	}
	return true
}

// WebSocket opcodes (RFC 6455, section 5.2) of the frames wsFrame makes.
const (
	opText   = 0x1
	opBinary = 0x2
	opClose  = 0x8
	opPing   = 0x9
	opPong   = 0xa
)

// wsFrame encodes payload as one whole, unmasked websocket frame of a
// server, header and all: the bytes that go on the wire, made once and
// written to every follower as they are.
func wsFrame(op byte, payload []byte) []byte {
	n := len(payload)
	var hdr [10]byte
	hdr[0] = 0x80 | op // FIN: the message is this one frame
	h := 2
	switch {
	case n < 126:
		hdr[1] = byte(n)
	case n <= 0xffff:
		hdr[1] = 126
		binary.BigEndian.PutUint16(hdr[2:], uint16(n))
		h = 4
	default:
		hdr[1] = 127
		binary.BigEndian.PutUint64(hdr[2:], uint64(n))
		h = 10
	}
	b := make([]byte, h+n)
	copy(b, hdr[:h])
	copy(b[h:], payload)
	return b
}

// abort ends a connection that cannot be written to: the reader's read
// fails and the handler cleans up.
func (f *follower) abort() {
	f.finish()
	f.ws.NetConn().Close()
}
