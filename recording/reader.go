package recording

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/nslab/nslab/nsstate"
)

// MaxLine is the longest line a reader takes: a whole snapshot near the
// state budget (docs/state.md) fits.
const MaxLine = 8 << 20

// Recording is a recording as read back.
type Recording struct {
	Header Header
	// Output is the terminal's output events, in order.
	Output []Output
	// States is the state timeline: States[0] holds the whole snapshot,
	// the others diffs.
	States []State
	// Markers are the "m" events: the one nslab writes says the recording
	// stopped at its cap.
	Markers []Marker
	// Duration is the time of the last event.
	Duration float64
}

// Output is an "o" event.
type Output struct {
	Time float64
	Data string
}

// State is an "s" event.
type State struct {
	Time float64
	StateData
}

// Marker is an "m" event.
type Marker struct {
	Time  float64
	Label string
}

// Parse reads a recording: an asciicast v2 file, with or without nslab's
// state events (a recording of asciinema's own is a recording without
// views). Event types it does not know are skipped, as asciinema skips
// nslab's.
func Parse(r io.Reader) (*Recording, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("read the recording's header: %w", err)
		}
		return nil, errors.New("the recording is empty")
	}
	rec := &Recording{}
	if err := json.Unmarshal(sc.Bytes(), &rec.Header); err != nil {
		return nil, fmt.Errorf("the recording's first line is not an asciicast header: %w", err)
	}
	if rec.Header.Version != 2 {
		return nil, fmt.Errorf("asciicast version %d: only version 2 is read", rec.Header.Version)
	}
	if rec.Header.Width <= 0 || rec.Header.Height <= 0 {
		return nil, fmt.Errorf("the header's size %dx%d is not a terminal's", rec.Header.Width, rec.Header.Height)
	}
	if m := rec.Header.NSLab; m != nil && m.Format > Format {
		return nil, fmt.Errorf("the recording's nslab format %d is newer than this reader's (%d)", m.Format, Format)
	}
	stateType := typeState
	if m := rec.Header.NSLab; m != nil && m.State != "" {
		stateType = m.State
	}
	for line := 2; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var ev [3]json.RawMessage
		if err := json.Unmarshal(b, &ev); err != nil {
			return nil, fmt.Errorf("line %d is not an event [time, type, data]: %w", line, err)
		}
		var t float64
		var typ, data string
		if err := json.Unmarshal(ev[0], &t); err != nil {
			return nil, fmt.Errorf("line %d: the time is not a number", line)
		}
		if err := json.Unmarshal(ev[1], &typ); err != nil {
			return nil, fmt.Errorf("line %d: the type is not a string", line)
		}
		if t < rec.Duration {
			return nil, fmt.Errorf("line %d: time %.3f is before the event before it (%.3f)", line, t, rec.Duration)
		}
		rec.Duration = t
		if typ != typeOutput && typ != stateType && typ != typeMarker {
			continue
		}
		if err := json.Unmarshal(ev[2], &data); err != nil {
			return nil, fmt.Errorf("line %d: the data of a %q event is not a string", line, typ)
		}
		switch typ {
		case typeOutput:
			rec.Output = append(rec.Output, Output{Time: t, Data: data})
		case typeMarker:
			rec.Markers = append(rec.Markers, Marker{Time: t, Label: data})
		default:
			s := State{Time: t}
			if err := json.Unmarshal([]byte(data), &s.StateData); err != nil {
				return nil, fmt.Errorf("line %d: the state event's data: %w", line, err)
			}
			first := len(rec.States) == 0
			switch {
			case first && s.Snapshot == nil:
				return nil, fmt.Errorf("line %d: the first state event holds no snapshot", line)
			case !first && s.Diff == nil:
				return nil, fmt.Errorf("line %d: a state event after the first holds no diff", line)
			}
			rec.States = append(rec.States, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read the recording: %w", err)
	}
	return rec, nil
}

// Timeline gives the state at any point of a recording, applying its
// diffs in order. It keeps a snapshot every checkpointEvery states, so
// seeking back costs at most that many diffs, not the whole recording.
type Timeline struct {
	states      []State
	checkpoints []*nsstate.Snapshot // checkpoints[k] is the state after states[k*checkpointEvery]
	cur         int                 // index of the state in snap
	snap        *nsstate.Snapshot
}

const checkpointEvery = 32

// NewTimeline returns the timeline of rec's states.
func NewTimeline(rec *Recording) *Timeline {
	return &Timeline{states: rec.States, cur: -1}
}

// Len is how many state events there are.
func (tl *Timeline) Len() int { return len(tl.states) }

// Time is when state event i happened.
func (tl *Timeline) Time(i int) float64 { return tl.states[i].Time }

// Index is the index of the last state event at or before t, -1 before
// the first.
func (tl *Timeline) Index(t float64) int {
	lo, hi := 0, len(tl.states)
	for lo < hi {
		m := (lo + hi) / 2
		if tl.states[m].Time <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

// At returns the state after state event i (nil for i < 0).
func (tl *Timeline) At(i int) *nsstate.Snapshot {
	if i < 0 || len(tl.states) == 0 {
		return nil
	}
	i = min(i, len(tl.states)-1)
	if i < tl.cur || tl.snap == nil {
		k := min(i/checkpointEvery, len(tl.checkpoints)-1)
		if k < 0 {
			tl.cur, tl.snap = 0, tl.states[0].Snapshot
			tl.checkpoints = append(tl.checkpoints, tl.snap)
		} else {
			tl.cur, tl.snap = k*checkpointEvery, tl.checkpoints[k]
		}
	}
	for tl.cur < i {
		tl.cur++
		tl.snap = tl.snap.Apply(*tl.states[tl.cur].Diff)
		if tl.cur%checkpointEvery == 0 && tl.cur/checkpointEvery == len(tl.checkpoints) {
			tl.checkpoints = append(tl.checkpoints, tl.snap)
		}
	}
	return tl.snap
}
