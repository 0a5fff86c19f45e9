package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nslab/nslab/nsstate"
)

// A lab's state is read from the kernel by one inspection at a time, and
// everyone who wants it shares the result: the state stream of every
// watcher and every GET /api/labs/{id}/state. Without that, each request
// was an inspection of its own, so a few parallel GETs of a lab that made
// its state large (many mount namespaces of long mount paths) multiplied
// the server's memory until it ran out and ended every lab. Inspections of
// all labs together wait for the server's one limit (Server.snapshots).

// stateCache is one lab's newest snapshot and the inspection under way.
// The zero value is ready to use.
type stateCache struct {
	mu sync.Mutex
	// last is the newest inspection that succeeded; nil before the first.
	last *inspection
	// flight is the inspection under way, nil when none is.
	flight *inspection
	// waiting counts readers waiting for flight.
	waiting int
	// reads counts the inspections begun, for tests and benchmarks.
	reads atomic.Int64
}

// inspection is one reading of a lab's state, shared by all who asked
// for it while it ran.
type inspection struct {
	done  chan struct{} // closed when snap and err are set
	began time.Time     // when reading the kernel began
	took  time.Duration // how long reading took
	snap  *nsstate.Snapshot
	err   error

	jsonOnce sync.Once
	json     []byte // snap as GET /state answers it, made once
	jsonErr  error
}

// readShare is the inverse of the largest share of one core that reading
// one lab's state may take (see state).
const readShare = 4

// errLabEnding is what readers of an ending lab's state get.
var errLabEnding = errors.New("the lab is ending")

// state returns the lab's state as read no earlier than maxAge ago: the
// cached snapshot if it is that fresh, else the result of the inspection
// under way, else of a new one. Readers that come while an inspection
// runs wait for it and share its result, so any number of them cost one
// inspection. It returns errStopped if stop closes first.
//
// A lab whose reading takes long (one near its snapshot budget takes a
// good part of a second) is read at most once per readShare times that:
// so no lab, however large it makes its state, takes more than a share of
// a core from the server, whoever watches it.
func (ss *session) state(stop <-chan struct{}, maxAge time.Duration) (*inspection, error) {
	c := &ss.cache
	c.mu.Lock()
	if c.last != nil && time.Since(c.last.began) <= max(maxAge, readShare*c.last.took) {
		in := c.last
		c.mu.Unlock()
		return in, nil
	}
	in := c.flight
	if in == nil {
		in = &inspection{done: make(chan struct{})}
		c.flight = in
		go ss.inspect(in)
	}
	c.waiting++
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.waiting--
		c.mu.Unlock()
	}()
	select {
	case <-in.done:
		return in, in.err
	case <-stop:
		return nil, errStopped
	}
}

// inspect runs one inspection once the server lets it: only so many run
// at once in the whole server (Server.snapshots), so that reading procfs
// never takes every CPU from the terminals. Labs then get fewer
// snapshots, not slower keystrokes. The inspection belongs to the cache,
// not to whoever asked first: a reader that gives up does not cancel it
// for the others.
func (ss *session) inspect(in *inspection) {
	c := &ss.cache
	defer func() {
		if in.err == nil {
			// Told while this is still the inspection in flight, so
			// that no later one can be told first.
			ss.tapState(in.began.Add(in.took), in.snap)
		}
		c.mu.Lock()
		c.flight = nil
		if in.err == nil {
			c.last = in
		}
		c.mu.Unlock()
		close(in.done)
	}()
	select {
	case ss.s.snapshots <- struct{}{}:
	case <-ss.ctx.Done():
		in.err = errLabEnding
		return
	}
	defer func() { <-ss.s.snapshots }()
	in.began = time.Now()
	c.reads.Add(1)
	if ss.lesson != nil {
		// The lesson's checks and background scripts never show.
		in.snap, in.err = ss.lesson.hideLessonProcs(ss.lab.Snapshot)
	} else {
		in.snap, in.err = ss.lab.Snapshot()
	}
	in.took = time.Since(in.began)
}

// cachedSnapshot returns the newest snapshot read, without reading one;
// nil before the first.
func (ss *session) cachedSnapshot() *nsstate.Snapshot {
	c := &ss.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last == nil {
		return nil
	}
	return c.last.snap
}

// JSON returns the snapshot as GET /state answers it, marshalled once
// however many readers ask.
func (in *inspection) JSON() ([]byte, error) {
	in.jsonOnce.Do(func() {
		b, err := json.Marshal(in.snap)
		if err != nil {
			in.jsonErr = fmt.Errorf("encode the lab's state: %w", err)
			return
		}
		in.json = append(b, '\n')
	})
	return in.json, in.jsonErr
}
