//go:build linux

package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/gorilla/websocket"

	"github.com/nslab/nslab/nsengine"
)

// throughputCmd prints throughputBytes of text (lines of 56 characters)
// and then a marker the reader waits for. The quotes split the marker so
// that the echoed command line cannot match it.
const (
	throughputBytes = 30_000_000
	throughputCmd   = "yes 'the quick brown fox jumps over the lazy dog 0123456' | head -c 30000000; echo; echo THRU''PUT-DONE\r"
)

var throughputDone = []byte("THRUPUT-DONE")

// BenchmarkTerminalThroughput measures 30 MB of text through a live lab's
// terminal to a real websocket client over loopback (80×24, every frame
// acknowledged as it arrives, the state stream off), against the same
// command in bash on a local PTY read directly by this process, run in
// alternation within each iteration. x-baseline is the baseline's time
// over the lab's (1 = as fast as a local PTY); frames/MB counts websocket
// messages. cpu=N sets the lab's CPU share in cores (the default is
// nsengine.DefaultLimits's).
//
//	go test -run '^$' -bench TerminalThroughput -benchtime 3x ./server
func BenchmarkTerminalThroughput(b *testing.B) {
	for _, cpu := range []float64{0, 2} {
		name := "cpu=default"
		if cpu != 0 {
			name = fmt.Sprintf("cpu=%g", cpu)
		}
		b.Run(name, func(b *testing.B) {
			h := newHarnessEngine(b, nsengine.Config{Limits: nsengine.Limits{CPU: cpu}}, Limits{}, nil)
			t := newBenchTerm(b, h, false)
			var lab, local time.Duration
			var frames, bytesIn int64
			for b.Loop() {
				start := time.Now()
				n, f, err := t.flood()
				if err != nil {
					b.Fatal(err)
				}
				lab += time.Since(start)
				frames += f
				bytesIn += n
				d, err := localFlood()
				if err != nil {
					b.Fatal(err)
				}
				local += d
			}
			b.ReportMetric(float64(local)/float64(lab), "x-baseline")
			b.ReportMetric(float64(bytesIn)/lab.Seconds()/1e6, "MB/s")
			b.ReportMetric(float64(frames)/(float64(bytesIn)/1e6), "frames/MB")
		})
	}
}

// flood runs throughputCmd and reads until its marker, acknowledging
// every frame. It returns the bytes and frames of output read.
func (t *benchTerm) flood() (n, frames int64, err error) {
	if err := t.ws.WriteMessage(websocket.BinaryMessage, append([]byte{0}, throughputCmd...)); err != nil {
		return 0, 0, err
	}
	t.ws.SetReadDeadline(time.Now().Add(5 * time.Minute))
	var tail []byte
	for {
		kind, data, err := t.ws.ReadMessage()
		if err != nil {
			return n, frames, fmt.Errorf("after %d bytes: %w", n, err)
		}
		if kind != websocket.BinaryMessage || len(data) < 1 {
			continue
		}
		t.send(map[string]any{"type": "ack", "term": 0, "bytes": len(data) - 1})
		n += int64(len(data) - 1)
		frames++
		tail = append(tail, data[1:]...)
		if i := bytes.Index(tail, throughputDone); i >= 0 {
			// The prompt may come in the same frame as the marker.
			if bytes.Contains(tail[i:], []byte(prompt)) {
				return n, frames, nil
			}
			if err := t.readUntil([]byte(prompt)); err != nil {
				return n, frames, err
			}
			return n, frames, nil
		}
		tail = tail[max(0, len(tail)-len(throughputDone)-len(prompt)):]
	}
}

// localFlood is the baseline: throughputCmd in bash on a PTY of this
// machine, read directly.
func localFlood() (time.Duration, error) {
	cmd := exec.Command("bash", "--norc", "--noprofile", "-i")
	cmd.Env = []string{"PATH=/usr/bin:/bin", "TERM=xterm-256color", "PS1=$ "}
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		return 0, err
	}
	defer func() {
		f.Close()
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}()
	buf := make([]byte, 64<<10)
	start := time.Now()
	if _, err := io.WriteString(f, throughputCmd); err != nil {
		return 0, err
	}
	var tail []byte
	for {
		n, err := f.Read(buf)
		tail = append(tail, buf[:n]...)
		if bytes.Contains(tail, throughputDone) {
			return time.Since(start), nil
		}
		tail = tail[max(0, len(tail)-len(throughputDone)):]
		if err != nil {
			if errors.Is(err, os.ErrClosed) {
				err = io.ErrUnexpectedEOF
			}
			return 0, fmt.Errorf("local pty: %w", err)
		}
	}
}
