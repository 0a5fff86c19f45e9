package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"time"
)

// clientKey names the client a request comes from, for the per-client
// limits: its IPv4 address, or its IPv6 /64 (one machine usually holds a
// whole /64, so single IPv6 addresses would be free for the taking).
//
// It is the TCP peer's address: behind a reverse proxy every client looks
// the same, so the per-client limits should then be set with that in mind.
func clientKey(r *http.Request) string { return addrKey(r.RemoteAddr) }

// addrKey is clientKey of a peer address "HOST:PORT".
func addrKey(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// refusal is why a lab may not be created now, with the HTTP status and
// Retry-After seconds to answer.
type refusal struct {
	status     int
	retryAfter int
	msg        string
}

// admit reserves a place for a new lab of client, or says why not. The
// caller gives the place back with release if no lab came of it, or turns
// it into a session with adopt.
func (s *Server) admit(client string, now time.Time) *refusal {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return &refusal{http.StatusServiceUnavailable, retryAfter, "the server is shutting down"}
	}
	if n := len(s.sessions) + s.pending; s.lim.MaxLabs >= 0 && n >= s.lim.MaxLabs {
		return &refusal{http.StatusServiceUnavailable, retryAfter,
			fmt.Sprintf("the server is full (%d labs running); try again in a minute", n)}
	}
	if n := s.perClient[client]; s.lim.MaxLabsPerClient >= 0 && n >= s.lim.MaxLabsPerClient {
		return &refusal{http.StatusServiceUnavailable, retryAfter,
			fmt.Sprintf("your address already holds %d labs, the most allowed; end one (DELETE /api/labs/ID) or let it time out", n)}
	}
	if s.lim.CreatesPerMinute >= 0 {
		recent := s.creates[client][:0]
		for _, t := range s.creates[client] {
			if now.Sub(t) < time.Minute {
				recent = append(recent, t)
			}
		}
		if len(recent) >= s.lim.CreatesPerMinute {
			s.creates[client] = recent
			wait := int(time.Minute-now.Sub(recent[0]))/int(time.Second) + 1
			return &refusal{http.StatusTooManyRequests, wait,
				fmt.Sprintf("too many labs created from your address (%d a minute at most); try again in %d s", s.lim.CreatesPerMinute, wait)}
		}
		s.creates[client] = append(recent, now)
	}
	s.pending++
	s.perClient[client]++
	return nil
}

// release gives back a place reserved by admit.
func (s *Server) release(client string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending--
	s.dropClient(client)
}

// dropClient counts one lab less for client; s.mu is held.
func (s *Server) dropClient(client string) {
	if s.perClient[client]--; s.perClient[client] <= 0 {
		delete(s.perClient, client)
	}
}
