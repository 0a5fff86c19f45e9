package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/nslab/nslab/nsstate"
	"github.com/nslab/nslab/recording"
)

// recordedTerm is the terminal a recording holds: asciicast has one
// terminal, and the first is the one the page opens, and a lesson types
// into.
const recordedTerm = 0

// labRecording records a live lab from its start: its first terminal and
// its state, up to the recording's cap (docs/recording.md).
type labRecording struct {
	rec *recording.Recorder
}

func newLabRecording(start time.Time, id string, capBytes int) *labRecording {
	return &labRecording{rec: recording.New(start, "live", "nslab lab "+id, capBytes)}
}

func (lr *labRecording) termOutput(t *terminal, at time.Time, frame []byte, _ int64) {
	if t.n == recordedTerm {
		lr.rec.Output(at, frame[1:])
	}
}

func (lr *labRecording) termResized(t *terminal, at time.Time, rows, cols uint16) {
	if t.n == recordedTerm {
		lr.rec.Resize(at, int(cols), int(rows))
	}
}

func (lr *labRecording) labState(at time.Time, snap *nsstate.Snapshot) {
	lr.rec.State(at, snap)
}

// handleRecording answers GET /api/labs/{id}/recording: the lab's
// recording so far. The lab's state is read first (or the one just read
// taken), so that the recording ends with the state the lab is in now,
// even where nobody watched its state stream.
func (s *Server) handleRecording(w http.ResponseWriter, r *http.Request) {
	ss := s.authorize(w, r)
	if ss == nil {
		return
	}
	if _, err := ss.state(r.Context().Done(), stateEvery); err == errStopped {
		return // the client left
	} else if err != nil && ss.isEnding() {
		writeError(w, http.StatusNotFound, errNoLab)
		return
	}
	// A state that could not be read leaves the recording as it was:
	// what it holds is still the recording so far.
	b := ss.rec.rec.Bytes()
	h := w.Header()
	h.Set("Content-Type", "application/x-asciicast")
	h.Set("Content-Disposition", `attachment; filename="nslab-`+ss.id+`-`+ss.created.UTC().Format("20060102-150405")+`.cast"`)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
}
