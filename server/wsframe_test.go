package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wsFrame's frames, written raw to a real websocket, read back by the
// websocket library as the messages they encode: every length class of
// the header (7-bit, 16-bit, 64-bit) at its edges.
func TestWSFrameReadsBackAsItsMessage(t *testing.T) {
	sizes := []int{0, 1, 125, 126, 127, 0xffff, 0x10000, 200 << 10}
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for i, n := range sizes {
			op := byte(opBinary)
			if i%2 == 1 {
				op = opText
			}
			if _, err := ws.NetConn().Write(wsFrame(op, bytes.Repeat([]byte{'a' + byte(i)}, n))); err != nil {
				t.Error(err)
				return
			}
		}
		ws.NetConn().Write(wsFrame(opClose, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye")))
		ws.SetReadDeadline(time.Now().Add(waitLimit))
		ws.ReadMessage()
	}))
	defer srv.Close()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.SetReadLimit(1 << 20)
	ws.SetReadDeadline(time.Now().Add(waitLimit))
	for i, n := range sizes {
		kind, data, err := ws.ReadMessage()
		want := websocket.BinaryMessage
		if i%2 == 1 {
			want = websocket.TextMessage
		}
		if err != nil || kind != want || !bytes.Equal(data, bytes.Repeat([]byte{'a' + byte(i)}, n)) {
			t.Fatalf("frame %d of %d bytes read back as type %d, %d bytes, %v", i, n, kind, len(data), err)
		}
	}
	_, _, err = ws.ReadMessage()
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != websocket.CloseNormalClosure || ce.Text != "bye" {
		t.Errorf("close frame read back as %v", err)
	}
}
