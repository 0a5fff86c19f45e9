package main

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/nsstate"
	"github.com/nslab/nslab/protocol"
	"github.com/nslab/nslab/recording"
	"github.com/nslab/nslab/sim"
	"github.com/nslab/nslab/web"
)

// sink is where a session's messages go: the page's callbacks in the
// browser, a recorder in tests.
type sink interface {
	Text([]byte)
	Binary([]byte)
}

// session is one page's conversation with its simulated lab host. Messages
// produced while the lab is busy are queued and delivered after it
// returns, so a page callback that answers at once never re-enters the
// lab.
type session struct {
	out  sink
	lab  *sim.Lab
	mu   sync.Mutex // guards everything below and serialises calls into lab
	term [protocol.MaxTerms]*sim.Terminal

	queue [][]byte // pending messages; binary frames have binary set
	isBin []bool

	wantState, wantViews bool
	selected             string
	sentState            *nsstate.Snapshot
	sentViews            string
	// rendered is the snapshot sentViews was rendered from; nil forces a
	// render (subscription or selection changed).
	rendered *nsstate.Snapshot
	last     time.Time

	// lesson is the page's lesson, nil without one (lesson.go).
	lesson *simLesson
	// lastSnap is the newest snapshot taken, to tell the lesson's
	// checks that the state changed.
	lastSnap *nsstate.Snapshot

	// rec records the lab from its start, as the server records a live
	// one: the first terminal and each snapshot taken. The page offers it
	// as a download (Recording).
	rec *recording.Recorder

	// kick wakes the clock when the page's input may have changed what
	// is due next (clock.go).
	kick chan struct{}
}

func newSession(out sink) *session { return newLessonSession(out, nil) }

// newLessonSession is a session whose page opened lesson l (nil: none).
func newLessonSession(out sink, l *lesson.Rendered) *session {
	s := &session{out: out, lab: sim.NewLab(sim.Options{}), wantState: true, last: time.Now(), kick: make(chan struct{}, 1)}
	s.rec = recording.New(s.last, "sim", "nslab simulator", 0)
	s.push(protocol.Hello{Type: "hello", Lab: "sim", Protocol: protocol.Version, Mode: "sim"})
	if l != nil {
		s.mu.Lock()
		s.startLesson(l)
		s.mu.Unlock()
	}
	s.flush()
	go s.clock(context.Background())
	return s
}

func (s *session) push(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(protocol.Error{Type: "error", Message: "internal: " + err.Error()})
	}
	s.queue = append(s.queue, b)
	s.isBin = append(s.isBin, false)
}

func (s *session) pushFrame(term int, data []byte) {
	s.queue = append(s.queue, protocol.Frame(term, data))
	s.isBin = append(s.isBin, true)
}

// flush delivers queued messages with the lock released.
func (s *session) flush() {
	s.mu.Lock()
	q, bin := s.queue, s.isBin
	s.queue, s.isBin = nil, nil
	s.mu.Unlock()
	for i, m := range q {
		if bin[i] {
			s.out.Binary(m)
		} else {
			s.out.Text(m)
		}
	}
}

// text handles one JSON message from the page. A bad one gets an error
// message and is otherwise ignored: there is no connection to close, and
// the page is the only client.
func (s *session) text(data []byte) {
	m, err := protocol.Decode(data)
	s.mu.Lock()
	s.catchUp(time.Now())
	if err != nil {
		s.push(protocol.Error{Type: "error", Message: err.Error()})
	} else {
		s.handle(m)
	}
	s.mu.Unlock()
	s.flush()
	s.wakeClock()
}

func (s *session) handle(m protocol.ClientMsg) {
	switch m.Type {
	case "open":
		n := int(*m.Term)
		if s.term[n] == nil {
			s.recordSize(n, int(*m.Rows), int(*m.Cols))
			s.term[n] = s.lab.NewTerminal(int(*m.Rows), int(*m.Cols), func(b []byte) {
				if n == 0 {
					s.rec.Output(time.Now(), b)
				}
				s.pushFrame(n, bytes.Clone(b))
				s.lessonChanged()
			})
			s.term[n].OnExit(func(status int) {
				s.push(protocol.Exit{Type: "exit", Term: n, Status: status})
				s.term[n] = nil
			})
		} else {
			s.term[n].Resize(int(*m.Rows), int(*m.Cols))
			s.recordSize(n, int(*m.Rows), int(*m.Cols))
		}
		s.push(protocol.Term{Type: "opened", Term: n})
		if n == 0 {
			s.typeForeground()
		}
	case "resize":
		if t := s.term[*m.Term]; t != nil {
			t.Resize(int(*m.Rows), int(*m.Cols))
			s.recordSize(int(*m.Term), int(*m.Rows), int(*m.Cols))
		}
	case "close":
		if t := s.term[*m.Term]; t != nil {
			s.term[*m.Term] = nil
			t.Close()
		}
	case "ack":
		// Output goes straight into the page; nothing to throttle.
	case "subscribe":
		if m.State != nil {
			s.wantState = *m.State
			s.sentState = nil
		}
		if m.Views != nil {
			s.wantViews = *m.Views
			s.sentViews, s.rendered = "", nil
		}
	case "select":
		s.selected = *m.Set
		s.sentViews, s.rendered = "", nil
	case "ping":
		s.push(protocol.Bare{Type: "pong"})
	}
	s.refresh()
}

// binary handles keyboard input for a terminal.
func (s *session) binary(frame []byte) {
	n, data, err := protocol.SplitFrame(frame)
	s.mu.Lock()
	switch {
	case err != nil:
		s.push(protocol.Error{Type: "error", Message: err.Error()})
	case s.term[n] == nil:
		s.push(protocol.Error{Type: "error", Message: "input for terminal " + string(rune('0'+n)) + ", which is not open"})
	default:
		s.catchUp(time.Now())
		s.term[n].Write(data)
		s.lessonChanged()
		s.refresh()
	}
	s.mu.Unlock()
	s.flush()
	s.wakeClock()
}

// refresh queues the state and views messages the page asked for, when
// they changed.
func (s *session) refresh() {
	if !s.wantState && !s.wantViews && s.lesson == nil {
		return
	}
	snap := s.lab.Snapshot()
	s.rec.State(time.Now(), snap)
	if s.lastSnap != nil && !nsstate.Equal(s.lastSnap, snap) {
		s.lessonChanged()
	}
	s.lastSnap = snap
	if s.wantState {
		if s.sentState == nil {
			s.push(protocol.State{Type: "state", Snapshot: snap})
		} else if d := nsstate.Compare(s.sentState, snap); !d.Empty() {
			s.push(protocol.Diff{Type: "diff", Diff: d})
		}
		s.sentState = snap
	}
	// Rendering is the costly part of a tick: skip it while the state is
	// what the views were rendered from, as the server does.
	if s.wantViews && (s.rendered == nil || !nsstate.Equal(s.rendered, snap)) {
		s.rendered = snap
		var b bytes.Buffer
		if err := web.Views(snap, s.selected).Render(context.Background(), &b); err != nil {
			s.push(protocol.Error{Type: "error", Message: "render views: " + err.Error()})
			return
		}
		if html := b.String(); html != s.sentViews {
			s.sentViews = html
			s.push(protocol.Views{Type: "views", HTML: html})
		}
	}
}

// recordSize records terminal n's size if it is the one recorded.
func (s *session) recordSize(n, rows, cols int) {
	if n == 0 {
		s.rec.Resize(time.Now(), cols, rows)
	}
}

// Recording returns the lab's recording so far (docs/recording.md).
func (s *session) Recording() []byte {
	s.mu.Lock()
	// It ends with the state now, as the server's does.
	s.rec.State(time.Now(), s.lab.Snapshot())
	s.mu.Unlock()
	return s.rec.Bytes()
}
