//go:build linux

package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// BenchmarkKeystrokeEcho measures how long a keystroke takes to come back
// as the shell's echo, with 50 live labs typed into at once over loopback
// by a real websocket client. Each iteration sends one keystroke to every
// lab's terminal at the same moment and waits for all 50 echoes; p50-ms
// and p99-ms are over every keystroke of the run. "quiet" connections
// take terminal output only; "watched" ones also stream the state and the
// rendered views, as the lab page does, so every lab is snapshotted every
// 150 ms meanwhile.
//
//	go test -run '^$' -bench KeystrokeEcho -benchtime 200x ./server
//
// The target is p99 ≤ 10 ms on a 2-core machine.
func BenchmarkKeystrokeEcho(b *testing.B) {
	for _, watched := range []bool{false, true} {
		name := "quiet"
		if watched {
			name = "watched"
		}
		b.Run(name, func(b *testing.B) { benchEcho(b, 50, watched) })
	}
}

func benchEcho(b *testing.B, labs int, watched bool) {
	h := newHarness(b, Limits{})
	terms := make([]*benchTerm, labs)
	for i := range terms {
		terms[i] = newBenchTerm(b, h, watched)
	}
	var mu sync.Mutex
	var lat []time.Duration
	round := 0
	for b.Loop() {
		// Alternate a letter and a backspace so the line stays short.
		key, echo := []byte("x"), []byte("x")
		if round%2 == 1 {
			key, echo = []byte{0x7f}, []byte{0x08}
		}
		round++
		var wg sync.WaitGroup
		for _, t := range terms {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, err := t.keystroke(key, echo)
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}()
		}
		wg.Wait()
		if b.Failed() {
			b.FailNow()
		}
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
}

// benchTerm is one lab's terminal, driven without a background reader so
// that an echo is timed when it is read.
type benchTerm struct {
	ws *websocket.Conn
}

func newBenchTerm(b testing.TB, h *harness, watched bool) *benchTerm {
	lab := h.create()
	d := websocket.Dialer{Subprotocols: []string{"nslab.v1", "bearer." + lab.Token}}
	ws, _, err := d.Dial(h.wsURL(lab.ID), http.Header{"Origin": {h.url}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ws.Close() })
	t := &benchTerm{ws: ws}
	t.send(map[string]any{"type": "subscribe", "state": watched, "views": watched})
	t.send(map[string]any{"type": "open", "term": 0, "rows": 24, "cols": 80})
	t.ws.WriteMessage(websocket.BinaryMessage, []byte("\x00PS1='[lab]''# '\r"))
	if err := t.readUntil([]byte(prompt)); err != nil {
		b.Fatal(err)
	}
	return t
}

func (t *benchTerm) send(m any) {
	j, _ := json.Marshal(m)
	t.ws.WriteMessage(websocket.TextMessage, j)
}

// keystroke sends key and returns the time until output holding echo
// arrives.
func (t *benchTerm) keystroke(key, echo []byte) (time.Duration, error) {
	start := time.Now()
	if err := t.ws.WriteMessage(websocket.BinaryMessage, append([]byte{0}, key...)); err != nil {
		return 0, err
	}
	if err := t.readUntil(echo); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// readUntil reads (and acknowledges) terminal output until a frame holds
// want, skipping state messages.
func (t *benchTerm) readUntil(want []byte) error {
	t.ws.SetReadDeadline(time.Now().Add(waitLimit))
	var seen []byte
	for {
		kind, data, err := t.ws.ReadMessage()
		if err != nil {
			return fmt.Errorf("waiting for %q (after %q): %w", want, seen, err)
		}
		if kind != websocket.BinaryMessage || len(data) < 1 {
			continue
		}
		t.send(map[string]any{"type": "ack", "term": 0, "bytes": len(data) - 1})
		seen = append(seen, data[1:]...)
		if bytes.Contains(data[1:], want) {
			return nil
		}
	}
}
