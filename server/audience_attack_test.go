//go:build linux

package server

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestAttackFollowerJoinsAsTheLinksAreRevoked: a follower whose viewer
// token was checked (lookupViewer) just before the owner revoked the
// links joins just after revoke collected the followers to disconnect.
// It must not join: a revoked link would follow on, unseen by revoke.
// First the exact interleaving (the handler's own steps, with the revoke
// between them), then the real thing: followers dialling in a loop while
// the links are revoked; none may be left following.
func TestAttackFollowerJoinsAsTheLinksAreRevoked(t *testing.T) {
	h := newHarness(t, Limits{})
	lab, owner := h.ownerWithShell()
	viewer := h.viewerLink(lab)

	ss := h.srv.lookupViewer(lab.ID, viewer)
	if ss == nil {
		t.Fatal("lookupViewer refused a fresh viewer token")
	}
	resp, body := h.do(http.DefaultClient, "DELETE", "/api/labs/"+lab.ID+"/viewers", lab.Token, "")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE viewers: %s %s", resp.Status, body)
	}
	f := &follower{a: ss.aud, log: ss.log, wake: make(chan struct{}, 1), done: make(chan struct{}), stale: true}
	if err := ss.aud.join(f, viewer); err == nil {
		ss.aud.leave(f)
		t.Error("ATTACK WORKED: a follower checked before the revoke joined after it, with the revoked link")
	}

	// The race itself, over real websockets.
	joined := 0
	for round := 0; round < 5; round++ {
		viewer := h.viewerLink(lab)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var open []*websocket.Conn
		stop := make(chan struct{})
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					ws, _, err := h.tryFollow(lab.ID, viewer, nil)
					if err != nil {
						continue // refused: revoked already
					}
					mu.Lock()
					open = append(open, ws)
					mu.Unlock()
				}
			}()
		}
		time.Sleep(20 * time.Millisecond)
		resp, body := h.do(http.DefaultClient, "DELETE", "/api/labs/"+lab.ID+"/viewers", lab.Token, "")
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("DELETE viewers: %s %s", resp.Status, body)
		}
		time.Sleep(20 * time.Millisecond)
		close(stop)
		wg.Wait()
		joined += len(open)
		// Every connection that got in is told it ended and closed; the
		// count of followers goes back to 0.
		for _, ws := range open {
			ws.SetReadDeadline(time.Now().Add(waitLimit))
			for {
				if _, _, err := ws.NextReader(); err != nil {
					if _, ok := err.(*websocket.CloseError); !ok {
						t.Errorf("ATTACK WORKED? a follower of a revoked link was not closed by the server: %v", err)
					}
					break
				}
			}
			ws.Close()
		}
		waitFor(t, "no followers after the revoke", func() bool { return ss.aud.counts().Followers == 0 })
	}
	if joined == 0 {
		t.Error("no follower got in before a revoke: the race was not run")
	}
	t.Logf("%d followers joined in the race rounds", joined)
	owner.run(0, "echo still-$((2*3))", "still-6")
}
