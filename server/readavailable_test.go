//go:build linux

package server

import (
	"bytes"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/gorilla/websocket"
)

// readAvailable takes everything a PTY holds in one go from a
// non-blocking descriptor, and only one read's worth, without waiting,
// from a blocking one.
func TestReadAvailableTakesWhatThePTYHolds(t *testing.T) {
	for _, nonblock := range []bool{true, false} {
		m, s, err := pty.Open()
		if err != nil {
			t.Fatal(err)
		}
		fd := m.Fd() // leaves it blocking
		if nonblock {
			if err := syscall.SetNonblock(int(fd), true); err != nil {
				t.Fatal(err)
			}
		}
		f := os.NewFile(fd, "ptmx")
		const held = 12000
		// The write may wait for the reading side to make room.
		go s.Write(bytes.Repeat([]byte("y"), held))
		time.Sleep(100 * time.Millisecond) // the kernel moves it to the reading side
		buf := make([]byte, readChunk)
		done := make(chan int)
		go func() {
			n, _ := readAvailable(f, buf)
			done <- n
		}()
		select {
		case n := <-done:
			switch {
			case nonblock && (n <= 4096 || n > held):
				t.Errorf("non-blocking: read %d bytes of the %d held; want more than one line-discipline read (4096)", n, held)
			case !nonblock && (n == 0 || n > 4096):
				t.Errorf("blocking: read %d bytes; want one read's worth", n)
			}
		case <-time.After(waitLimit):
			t.Fatalf("nonblock=%v: readAvailable waited for output that never came", nonblock)
		}
		f.Close()
		s.Close()
	}
}

// A flood read as what the PTY held at once (readAvailable) arrives whole
// and in order, in frames of at most readChunk. (How few frames it takes
// depends on how far the producer gets ahead of the reader: a 230 KB
// burst of seq's lines came in 1,500 to 4,100 frames, the largest 5 KiB
// with one frame per read and 15 KiB with readAvailable, on a loaded
// machine; TestReadAvailableTakesWhatThePTYHolds is the exact check.)
func TestFloodArrivesWholeAndInOrder(t *testing.T) {
	h := newHarness(t, Limits{})
	term := newBenchTerm(t, h, false)
	const lines = 20000 // "line N" lines: about 230 KB
	term.ws.WriteMessage(websocket.BinaryMessage, []byte("\x00seq -f 'line %g' 1 20000; echo MERGE''-END\r"))
	var out []byte
	var biggest, frames int
	term.ws.SetReadDeadline(time.Now().Add(waitLimit))
	for !bytes.Contains(out, []byte("MERGE-END")) {
		kind, data, err := term.ws.ReadMessage()
		if err != nil {
			t.Fatalf("after %d bytes: %v", len(out), err)
		}
		if kind != websocket.BinaryMessage {
			continue
		}
		if data[0] != 0 {
			t.Fatalf("a frame for terminal %d", data[0])
		}
		frames++
		biggest = max(biggest, len(data)-1)
		out = append(out, data[1:]...)
		term.send(map[string]any{"type": "ack", "term": 0, "bytes": len(data) - 1})
		time.Sleep(2 * time.Millisecond) // a slow client: output piles up meanwhile
	}
	if biggest > readChunk {
		t.Errorf("a frame of %d bytes, over the read chunk %d", biggest, readChunk)
	}
	for i := 1; i <= lines; i += 997 {
		if !bytes.Contains(out, []byte("line "+itoa(int64(i))+"\r\nline "+itoa(int64(i+1))+"\r\n")) {
			t.Fatalf("line %d and the next are not in the output in order", i)
		}
	}
	t.Logf("%d bytes in %d frames, the largest %d", len(out), frames, biggest)
}
