package server

import (
	"bytes"
	"time"

	"github.com/nslab/nslab/nsstate"
)

// watch adds c to (on) or removes it from the connections that get the
// lab's state. The lab is snapshotted only while at least one watches.
func (ss *session) watch(c *wsConn, on bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if on && !ss.ending {
		ss.watchers[c] = struct{}{}
	} else {
		delete(ss.watchers, c)
	}
	switch {
	case len(ss.watchers) > 0 && ss.watchStop == nil:
		ss.watchStop = make(chan struct{})
		go ss.snapshotLoop(ss.watchStop)
	case len(ss.watchers) == 0 && ss.watchStop != nil:
		close(ss.watchStop)
		ss.watchStop = nil
	}
}

// snapshotLoop snapshots the lab every stateEvery and hands each snapshot
// to the watchers, until stop closes. One snapshot serves every watcher.
func (ss *session) snapshotLoop(stop chan struct{}) {
	tick := time.NewTicker(stateEvery)
	defer tick.Stop()
	failing := false
	for {
		snap, err := ss.lab.Snapshot()
		switch {
		case err != nil && !failing:
			// Once per run of failures: a lab that is ending fails
			// every time.
			ss.log.Warn("snapshot", "err", err)
			failing = true
		case err == nil:
			failing = false
			ss.mu.Lock()
			for c := range ss.watchers {
				c.offer(snap)
			}
			ss.mu.Unlock()
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

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
			if !c.sendJSON(stateMsg{Type: "state", Snapshot: latest}) {
				return
			}
			sent = latest
		case sent != latest:
			d := nsstate.Compare(sent, latest)
			if !d.Empty() && !c.sendJSON(diffMsg{Type: "diff", Diff: d}) {
				return
			}
			sent = latest
		}
		views := c.s.cfg.Pages.Views
		if !sub.views || views == nil {
			rendered, html = nil, ""
			continue
		}
		if rendered != nil && renderedSel == sub.selected && sameState(rendered, latest) {
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
		if !c.sendJSON(viewsMsg{Type: "views", HTML: html}) {
			return
		}
	}
}

// sameState reports whether b holds nothing new over a.
func sameState(a, b *nsstate.Snapshot) bool {
	if a == b {
		return true
	}
	d := nsstate.Compare(a, b)
	return d.Empty()
}
