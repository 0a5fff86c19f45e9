package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
)

// tokenBytes is the size of a lab token before encoding: 256 bits, beyond
// guessing.
const tokenBytes = 32

// newToken returns a fresh token, base64url without padding so that it
// fits a URL fragment and a websocket subprotocol unchanged.
func newToken() string {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never fails (crypto/rand panics rather than return bad bytes)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newLabID returns a fresh lab id for URLs. It is not a secret: the token
// guards the lab.
func newLabID() string {
	b := make([]byte, 9)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// validLabID reports whether id could be one of newLabID's, so that junk
// is refused before it reaches a page or a log.
func validLabID(id string) bool {
	if len(id) != 12 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// tokenEqual compares in constant time, so that response times say
// nothing about how much of a guess was right.
func tokenEqual(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// subprotocol is the websocket subprotocol of this protocol's version;
// bearerPrefix marks the subprotocol that carries the token for browsers,
// whose WebSocket cannot set an Authorization header.
const (
	subprotocol  = "nslab.v1"
	bearerPrefix = "bearer."
)

// requestToken finds the token of r: the Authorization header, or for a
// websocket upgrade the bearer subprotocol.
func requestToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		// The scheme is case-insensitive (RFC 7235), the token is not.
		scheme, t, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(t)
		}
		return ""
	}
	for _, p := range websocketProtocols(r) {
		if t, ok := strings.CutPrefix(p, bearerPrefix); ok {
			return t
		}
	}
	return ""
}

// websocketProtocols lists the subprotocols a websocket client offers.
func websocketProtocols(r *http.Request) []string {
	var out []string
	for _, h := range r.Header.Values("Sec-WebSocket-Protocol") {
		for _, p := range strings.Split(h, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}
