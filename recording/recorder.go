package recording

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/nslab/nslab/nsstate"
)

// Format is the version of nslab's additions to asciicast v2 (the "nslab"
// header field and the "s" events); a reader refuses a newer one.
const Format = 1

// DefaultCap is how many bytes a recording may hold, header included.
// A typical ten-minute session takes well under half of it
// (docs/BENCHMARKS.md); the cap bounds what a lab that floods its
// terminal or churns processes for two hours costs the server.
const DefaultCap = 4 << 20

// Event types. "o" and "r" are asciicast v2's output and resize, "m" its
// marker; "s" is nslab's state event, which asciinema's tools skip.
const (
	typeOutput = "o"
	typeResize = "r"
	typeMarker = "m"
	typeState  = "s"
)

// markerRoom is kept free below the cap for the marker that says the
// recording stopped there.
const markerRoom = 256

// Header is the recording's first line: asciicast v2's header with
// nslab's own field.
type Header struct {
	Version   int               `json:"version"`
	Width     int               `json:"width"`
	Height    int               `json:"height"`
	Timestamp int64             `json:"timestamp"`
	Title     string            `json:"title,omitempty"`
	Env       map[string]string `json:"env,omitempty"`
	NSLab     *Meta             `json:"nslab,omitempty"`
}

// Meta is the header's "nslab" field: what a reader needs to know about
// the state events.
type Meta struct {
	Format int    `json:"format"`
	Mode   string `json:"mode"`  // "live" or "sim"
	State  string `json:"state"` // the event type of the state timeline: "s"
	Cap    int    `json:"cap"`   // the recording's cap in bytes
}

// StateData is the data of an "s" event, a JSON object in the event's
// string: the whole snapshot in the first, a diff against the state
// before it in each later one.
type StateData struct {
	Snapshot *nsstate.Snapshot `json:"snapshot,omitempty"`
	Diff     *nsstate.Diff     `json:"diff,omitempty"`
}

// Recorder records one lab. Its methods are safe for concurrent use: a
// live lab's terminal pump and its state reader call it from their own
// goroutines. The zero value is not ready: use New.
type Recorder struct {
	mu        sync.Mutex
	start     time.Time
	mode      string
	title     string
	cap       int
	cols      int // the terminal's size now
	rows      int
	width     int // the terminal's size when the recording began: the header's
	height    int
	sized     bool // the terminal's size is known
	hadOutput bool // an output event was recorded
	events    bytes.Buffer
	partial   []byte // the start of a UTF-8 sequence the last output cut
	last      *nsstate.Snapshot
	lastT     float64 // the newest event's time: events never go back
	stopped   bool
}

// New starts a recording at start of a lab in mode ("live" or "sim")
// that holds at most capBytes bytes (DefaultCap if 0 or less).
func New(start time.Time, mode, title string, capBytes int) *Recorder {
	if capBytes <= 0 {
		capBytes = DefaultCap
	}
	return &Recorder{start: start, mode: mode, title: title, cap: capBytes, cols: 80, rows: 24, width: 80, height: 24}
}

// Output records p, read from the terminal at at. A UTF-8 sequence that p
// cuts is held until the next output completes it: asciicast's output is
// text, and half a character would be replaced.
func (r *Recorder) Output(at time.Time, p []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped || len(p) == 0 {
		return
	}
	if len(r.partial) > 0 {
		p = append(r.partial, p...)
		r.partial = nil
	}
	n := completeUTF8(p)
	if n < len(p) {
		r.partial = bytes.Clone(p[n:])
		p = p[:n]
	}
	if len(p) == 0 {
		return
	}
	data, _ := json.Marshal(string(p)) // invalid UTF-8 becomes U+FFFD
	r.hadOutput = true
	r.add(at, typeOutput, data)
}

// completeUTF8 returns the length of p without a UTF-8 sequence begun at
// its end and not finished there.
func completeUTF8(p []byte) int {
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				return i
			}
			break
		}
	}
	return len(p)
}

// Resize records the terminal's size. The first size, given before any
// output, is the header's; later changes are "r" events.
func (r *Recorder) Resize(at time.Time, cols, rows int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped || cols <= 0 || rows <= 0 {
		return
	}
	if !r.sized && !r.hadOutput {
		r.cols, r.rows, r.sized = cols, rows, true
		r.width, r.height = cols, rows
		return
	}
	r.sized = true
	if cols == r.cols && rows == r.rows {
		return
	}
	r.cols, r.rows = cols, rows
	data, _ := json.Marshal(strconv.Itoa(cols) + "x" + strconv.Itoa(rows))
	r.add(at, typeResize, data)
}

// State records the lab's state as read at at: the whole snapshot the
// first time, then what changed since the last one recorded, if
// anything did.
func (r *Recorder) State(at time.Time, snap *nsstate.Snapshot) {
	if snap == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped || snap == r.last {
		return
	}
	var sd StateData
	if r.last == nil {
		sd.Snapshot = snap
	} else {
		d := nsstate.Compare(r.last, snap)
		if d.Empty() {
			return
		}
		sd.Diff = &d
	}
	inner, err := json.Marshal(sd)
	if err != nil {
		return // a snapshot always encodes; nothing sensible to record
	}
	data, _ := json.Marshal(string(inner))
	if r.add(at, typeState, data) {
		r.last = snap
	}
}

// add appends one event unless it would take the recording over its cap,
// in which case the recording stops with a marker that says so. It
// reports whether the event was added.
func (r *Recorder) add(at time.Time, typ string, data []byte) bool {
	// Callers read the clock before taking the lock, so two events may
	// come in the other order by a hair; a reader wants times in order.
	t := max(at.Sub(r.start).Seconds(), r.lastT)
	r.lastT = t
	line := make([]byte, 0, len(data)+24)
	line = append(line, '[')
	line = strconv.AppendFloat(line, t, 'f', 3, 64)
	line = append(line, `,"`...)
	line = append(line, typ...)
	line = append(line, `",`...)
	line = append(line, data...)
	line = append(line, "]\n"...)
	if r.headerLen()+r.events.Len()+len(line) > r.cap-markerRoom {
		r.stopped = true
		r.partial = nil
		msg, _ := json.Marshal(fmt.Sprintf("nslab: the recording stopped here: it reached its cap of %d bytes", r.cap))
		fmt.Fprintf(&r.events, "[%.3f,%q,%s]\n", t, typeMarker, msg)
		return false
	}
	r.events.Write(line)
	return true
}

// headerLen is a bound on the header line's length: it changes only with
// the size's digits, which headerRoom covers.
func (r *Recorder) headerLen() int { return len(r.title) + headerRoom }

const headerRoom = 320

// Stopped reports whether the recording reached its cap.
func (r *Recorder) Stopped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopped
}

// Len is the recording's size so far in bytes, about: the header's
// length is bounded, not measured.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.headerLen() + r.events.Len()
}

// WriteTo writes the recording so far: the header line, then the events.
func (r *Recorder) WriteTo(w io.Writer) (int64, error) {
	b := r.Bytes()
	n, err := w.Write(b)
	return int64(n), err
}

// Bytes returns the recording so far.
func (r *Recorder) Bytes() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := Header{
		Version: 2, Width: r.width, Height: r.height, Timestamp: r.start.Unix(),
		Title: r.title,
		Env:   map[string]string{"TERM": "xterm-256color"},
		NSLab: &Meta{Format: Format, Mode: r.mode, State: typeState, Cap: r.cap},
	}
	hb, _ := json.Marshal(h)
	out := make([]byte, 0, len(hb)+1+r.events.Len())
	out = append(out, hb...)
	out = append(out, '\n')
	return append(out, r.events.Bytes()...)
}
