package server

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// connLimit bounds the HTTP connections the server holds open, in all and
// per client address, so that one client opening connections and sending
// nothing on them (slowloris) cannot take every file descriptor and every
// slot: the others are still served. A connection over a limit gets a 503
// and is closed before any of its request is read.
//
// Websockets are not counted once upgraded: labs and connections per lab
// bound them.
type connLimit struct {
	max, perClient int // <0: no limit

	mu     sync.Mutex
	open   int
	counts map[string]int
	// held maps an admitted connection to its client, so that it is
	// counted out once, whichever state it leaves in.
	held map[net.Conn]string
}

func newConnLimit(max, perClient int) *connLimit {
	return &connLimit{max: max, perClient: perClient, counts: map[string]int{}, held: map[net.Conn]string{}}
}

// connState is http.Server.ConnState.
func (l *connLimit) connState(c net.Conn, st http.ConnState) {
	switch st {
	case http.StateNew:
		if !l.admit(c) {
			refuseConn(c)
		}
	case http.StateHijacked, http.StateClosed:
		l.mu.Lock()
		if client, ok := l.held[c]; ok {
			delete(l.held, c)
			l.open--
			if l.counts[client]--; l.counts[client] <= 0 {
				delete(l.counts, client)
			}
		}
		l.mu.Unlock()
	}
}

func (l *connLimit) admit(c net.Conn) bool {
	client := addrKey(c.RemoteAddr().String())
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max >= 0 && l.open >= l.max {
		return false
	}
	if l.perClient >= 0 && l.counts[client] >= l.perClient {
		return false
	}
	l.open++
	l.counts[client]++
	l.held[c] = client
	return true
}

// counts returns the connections held, in all and of client.
func (l *connLimit) count(client string) (all, ofClient int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open, l.counts[client]
}

// refuseConn answers a connection over the limit and closes it. The
// answer fits the socket's send buffer, so the write does not wait for
// the client; the short deadline covers a client that reads nothing.
func refuseConn(c net.Conn) {
	body := `{"error":"too many connections from your address, or to this server; try again soon"}` + "\n"
	c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	c.Write([]byte("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 10\r\n" +
		"Connection: close\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body))
	c.Close()
}
