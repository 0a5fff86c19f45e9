//go:build linux

package nsengine

import (
	"bufio"
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// initStderrMax bounds what the engine keeps and logs of one init's
// stderr. init writes a line or two when it fails; the lab's root can
// write there too (through /proc/1/fd/2), and must not flood the log.
const initStderrMax = 4 << 10

// initStderr collects what a lab's init writes to its stderr: why it
// stopped when it could not say so on the control socket, or what the Go
// runtime says when it ends init. Each line is logged; past
// initStderrMax bytes the rest is read and dropped.
type initStderr struct {
	r    *os.File
	done chan struct{}

	mu   sync.Mutex
	text []byte
}

// newInitStderr makes the pipe; w is init's stderr, for the caller to
// close once init has it.
func newInitStderr() (s *initStderr, w *os.File, err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, fmt.Errorf("init's stderr: %w", err)
	}
	return &initStderr{r: r, done: make(chan struct{})}, w, nil
}

// collect reads until every writer has closed the pipe: init and whatever
// lab process opened it, all gone with the lab.
func (s *initStderr) collect(log *slog.Logger, lab string) {
	defer close(s.done)
	defer s.r.Close()
	br := bufio.NewReaderSize(s.r, 512)
	kept, dropped := 0, false
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			if kept+len(line) <= initStderrMax {
				kept += len(line)
				s.mu.Lock()
				s.text = append(s.text, line...)
				s.mu.Unlock()
				log.Warn("lab init wrote to stderr", "lab", lab, "text", string(bytes.TrimSpace(line)))
			} else if !dropped {
				dropped = true
				log.Warn("lab init writes too much to stderr: the rest is dropped", "lab", lab, "kept_bytes", kept)
			}
		}
		if err != nil && err != bufio.ErrBufferFull {
			return
		}
	}
}

// said is what init wrote, once its stderr has closed or wait has passed,
// as a suffix for an error: "" when it wrote nothing.
func (s *initStderr) said(wait time.Duration) string {
	select {
	case <-s.done:
	case <-time.After(wait):
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := bytes.TrimSpace(s.text)
	if len(t) == 0 {
		return ""
	}
	return " (init said: " + string(bytes.ReplaceAll(t, []byte("\n"), []byte("; "))) + ")"
}
