package server

import (
	"bytes"
	"errors"
	"time"

	"github.com/nslab/nslab/nsstate"
	"github.com/nslab/nslab/protocol"
)

// watch adds c to (on) or removes it from the connections that get the
// lab's state. The lab is snapshotted only while at least one watches,
// or someone follows it (c nil: only that changed).
func (ss *session) watch(c *wsConn, on bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if on && !ss.ending {
		ss.watchers[c] = struct{}{}
		ss.active()
	} else {
		delete(ss.watchers, c)
	}
	wanted := len(ss.watchers) > 0 || ss.aud.watched()
	switch {
	case on && c != nil && ss.watchStop != nil:
		// The loop runs: the newest snapshot is the lab's state until
		// the next change.
		if snap := ss.cachedSnapshot(); snap != nil {
			c.offer(snap)
		}
	case wanted && ss.watchStop == nil && !ss.ending:
		ss.watchStop = make(chan struct{})
		go ss.snapshotLoop(ss.watchStop)
	case !wanted && ss.watchStop != nil:
		close(ss.watchStop)
		ss.watchStop = nil
	}
}

// snapshotLoop snapshots the lab and hands each snapshot to the
// watchers, until stop closes. One snapshot serves every watcher. A lab
// with events is read when it changed (followChanges); one without, on a
// timer: it snapshots every stateEvery while the lab is in use (terminal input or
// output, exec, a new watcher within stateActive), and every stateIdle
// otherwise: a lab changes when someone works in it, and reading procfs
// for fifty idle labs several times a second would take the CPU that
// their keystrokes need.
func (ss *session) snapshotLoop(stop chan struct{}) {
	if cs := changesOf(ss.lab); cs != nil {
		ss.followChanges(stop, cs)
		return
	}
	tick := time.NewTicker(stateEvery)
	defer tick.Stop()
	failing := false
	var last time.Time
	for {
		now := time.Now()
		if last.IsZero() || now.Sub(last) >= stateIdle || now.Sub(ss.lastActive()) < stateActive {
			last = now
			if _, stopped := ss.readAndPush(stop, stateEvery, &failing); stopped {
				return
			}
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

var errStopped = errors.New("stopped")

// readAndPush reads the lab's state (or takes a reading at most maxAge
// old) and pushes it to the watchers; both state loops read this way. A
// failure is logged once per run of failures (*failing tracks the run):
// a lab that is ending fails every time. It returns the reading, nil on a
// failure, and whether stop closed.
func (ss *session) readAndPush(stop <-chan struct{}, maxAge time.Duration, failing *bool) (*inspection, bool) {
	in, err := ss.state(stop, maxAge)
	switch {
	case err == errStopped:
		return nil, true
	case err != nil:
		if !*failing {
			ss.log.Warn("snapshot", "err", err)
		}
		*failing = true
		return nil, false
	}
	*failing = false
	ss.pushState(in)
	return in, false
}

// pushState hands a new reading of the lab's state to every watcher. It
// is the one place where the state stream gets a snapshot.
func (ss *session) pushState(in *inspection) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for c := range ss.watchers {
		c.offer(in.snap)
	}
}

// active records that the lab is in use now.
func (ss *session) active() { ss.activeAt.Store(time.Now().UnixNano()) }

func (ss *session) lastActive() time.Time { return time.Unix(0, ss.activeAt.Load()) }

// offer replaces the snapshot waiting for c's streamer, never waiting: a
// slow connection skips snapshots, and since it is sent diffs against
// what it last got, it misses nothing.
func (c *wsConn) offer(snap *nsstate.Snapshot) {
	select {
	case <-c.snaps:
	default:
	}
	select {
	case c.snaps <- snap:
	default:
	}
}

// streamState sends c the state it subscribed to: the whole snapshot
// first, then diffs when something changed; and the rendered views when
// they changed. It sends one message at a time, so a slow client holds
// at most one state message in the queue.
func (c *wsConn) streamState() {
	var latest, sent, rendered *nsstate.Snapshot
	var renderedSel, html string
	for {
		select {
		case <-c.done:
			return
		case latest = <-c.snaps:
		case <-c.wake:
		}
		c.mu.Lock()
		sub := c.sub
		c.sub.resend = false
		c.mu.Unlock()
		if latest == nil {
			continue
		}
		switch {
		case !sub.state:
			sent = nil
		case sent == nil || sub.resend:
			if !c.sendJSON(protocol.State{Type: "state", Snapshot: latest}) {
				return
			}
			sent = latest
		case sent != latest:
			d := nsstate.Compare(sent, latest)
			if !d.Empty() && !c.sendJSON(protocol.Diff{Type: "diff", Diff: d}) {
				return
			}
			sent = latest
		}
		views := c.s.cfg.Pages.Views
		if !sub.views || views == nil {
			rendered, html = nil, ""
			continue
		}
		if rendered != nil && renderedSel == sub.selected && nsstate.Equal(rendered, latest) {
			continue
		}
		var b bytes.Buffer
		if err := views(latest, sub.selected).Render(c.ss.ctx, &b); err != nil {
			c.log.Error("render views", "err", err)
			continue
		}
		rendered, renderedSel = latest, sub.selected
		if b.String() == html {
			continue
		}
		html = b.String()
		if !c.sendJSON(protocol.Views{Type: "views", HTML: html}) {
			return
		}
	}
}
