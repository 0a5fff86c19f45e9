//go:build linux

package server

import (
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
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

// TestAttackStalledFollowersHoldTheServersMemory: the lab's owner (an
// anonymous visitor) fills the replay rings of all four terminals, then
// opens the most followers a lab may have, none of which reads. What
// the server holds for them must stay bounded by a figure that does not
// grow with how much the lab writes; it is measured and reported.
func TestAttackStalledFollowersHoldTheServersMemory(t *testing.T) {
	h := newHarness(t, Limits{})
	lab, owner := h.ownerWithShell()
	for n := 1; n < 4; n++ {
		owner.open(n, 24, 80)
		owner.shellReady(n)
	}
	for n := 0; n < 4; n++ {
		owner.run(n, "head -c 100000 /dev/zero | tr '\\0' x | fold -w 79; echo full-$((1+"+strconv.Itoa(n)+"))", "full-"+strconv.Itoa(n+1))
	}
	viewer := h.viewerLink(lab)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before, goroutines := heap(), runtime.NumGoroutine()
	n := h.srv.lim.MaxFollowersPerLab
	var conns []*websocket.Conn
	for i := 0; i < n; i++ {
		ws, status, err := h.tryFollow(lab.ID, viewer, func(network, addr string) (net.Conn, error) {
			c, err := net.Dial(network, addr)
			if err == nil {
				c.(*net.TCPConn).SetReadBuffer(4 << 10)
			}
			return c, err
		})
		if err != nil {
			t.Fatalf("follower %d: %v %d", i, err, status)
		}
		conns = append(conns, ws)
	}
	defer func() {
		for _, ws := range conns {
			ws.Close()
		}
	}()
	owner.run(0, "head -c 2000000 /dev/zero | tr '\\0' x | fold -w 79; echo flood-$((3*3))", "flood-9")
	time.Sleep(200 * time.Millisecond)
	after := heap()
	per := (int64(after) - int64(before)) / int64(n)
	t.Logf("%d stalled followers: heap %d -> %d bytes (%d per follower), goroutines %d -> %d",
		n, before, after, per, goroutines, runtime.NumGoroutine())
	// The rings (4 × 64 KiB) and a queue (256 KiB) per follower are the
	// design's bound; beyond it, memory grows with the lab's output.
	if limit := int64(4*ringSize + followerQueueBytes + 64<<10); per > limit {
		t.Errorf("ATTACK WORKED: each stalled follower holds %d bytes of the server's memory, more than %d", per, limit)
	}
}

// TestAttackFollowersChurn: followers that connect and go at once, as
// fast as eight clients can, while the owner works. Nothing may be left
// behind (followers counted, goroutines, the views renderer), and the
// owner's terminal answers throughout. How long the owner's echo took
// meanwhile is logged, not asserted (BenchmarkAudienceEcho measures).
func TestAttackFollowersChurn(t *testing.T) {
	h := newHarness(t, Limits{})
	lab, owner := h.ownerWithShell()
	viewer := h.viewerLink(lab)
	aud := h.session(lab.ID).aud
	goroutines := runtime.NumGoroutine()
	// The owner's page reads every message; here the counts are counted.
	counts := make(chan int)
	stopCounting := make(chan struct{})
	go func() {
		n := 0
		for {
			select {
			case m := <-owner.msgs:
				if m["type"] == "audience" {
					n++
				}
			case <-stopCounting:
				counts <- n
				return
			}
		}
	}()
	began := time.Now()

	var wg sync.WaitGroup
	var mu sync.Mutex
	joins := 0
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
					continue
				}
				ws.Close()
				mu.Lock()
				joins++
				mu.Unlock()
			}
		}()
	}
	var worst time.Duration
	for i := 0; i < 20 || time.Since(began) < 2*time.Second; i++ {
		start := time.Now()
		owner.run(0, "echo churn-$(("+strconv.Itoa(i)+"+1000))", "churn-"+strconv.Itoa(i+1000))
		worst = max(worst, time.Since(start))
	}
	close(stop)
	wg.Wait()
	took := time.Since(began)
	time.Sleep(2 * audienceCountEvery) // the last count
	close(stopCounting)
	sent := <-counts
	t.Logf("%d followers came and went in %s; the owner was sent %d counts; its slowest command took %s", joins, took.Round(time.Millisecond), sent, worst)
	if most := int(took/audienceCountEvery) + 3; sent > most {
		t.Errorf("ATTACK WORKED: the churn flooded the owner with %d counts in %s, more than one per %s (%d)", sent, took.Round(time.Millisecond), audienceCountEvery, most)
	}
	if joins < 100 {
		t.Errorf("only %d followers came and went: the churn was not run", joins)
	}
	waitFor(t, "every follower gone", func() bool { return aud.counts().Followers == 0 })
	waitFor(t, "the views renderer stopped", func() bool {
		aud.mu.Lock()
		defer aud.mu.Unlock()
		return aud.render == nil
	})
	closeIdle()
	deadline := time.Now().Add(waitLimit)
	for runtime.NumGoroutine() > goroutines+8 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines+8 {
		buf := make([]byte, 1<<20)
		t.Errorf("ATTACK WORKED: %d goroutines after the churn, %d before:\n%s", n, goroutines, buf[:runtime.Stack(buf, true)])
	}
	owner.run(0, "echo after-$((6*7))", "after-42")
}

// TestAttackLabMarkupInTheFollowersViews: whoever types in the lab (its
// owner, an anonymous visitor) names a process and a UTS namespace's
// host with markup, to run script in every follower's page through the
// views the server renders for them. The views must carry it as text.
func TestAttackLabMarkupInTheFollowersViews(t *testing.T) {
	h := newHarness(t, Limits{})
	lab, owner := h.ownerWithShell()
	f := h.dialFollow(lab.ID, h.viewerLink(lab))
	const tag = `<img src=x onerror=alert(1)>`
	owner.run(0, "cp /bin/sleep '/tmp/"+tag+"' && '/tmp/"+tag+"' 300 & unshare -u sh -c 'hostname \""+tag+"\"; exec sleep 300' & echo start''ed", "started")
	deadline := time.After(waitLimit)
	for {
		select {
		case m := <-f.msgs:
			html, _ := m["html"].(string)
			if m["type"] != "views" {
				continue
			}
			if strings.Contains(html, "<img") || strings.Contains(html, "onerror=alert") && !strings.Contains(html, "&lt;img") {
				t.Fatalf("ATTACK WORKED: the follower's views carry the lab's markup as markup: …%s…", around(html, "onerror"))
			}
			if strings.Contains(html, "&lt;img src=x onerror=alert(1)&gt;") {
				return // shown, as text
			}
		case <-deadline:
			t.Fatalf("the follower's views never showed the process named %q", tag)
		}
	}
}

// around is s near the first want, for a message.
func around(s, want string) string {
	i := strings.Index(s, want)
	if i < 0 {
		return ""
	}
	return s[max(0, i-100):min(len(s), i+100)]
}

// TestAttackViewerTokenGuessesAreIndistinguishable: someone with no
// link guesses: labs that do not exist, labs without links, wrong,
// revoked and ended tokens, tokens of other lengths, from a foreign
// origin. Every answer must be the same (status, headers that matter,
// body), so that no guess tells more than "no".
func TestAttackViewerTokenGuessesAreIndistinguishable(t *testing.T) {
	h := newHarness(t, Limits{})
	withLinks, noLinks, ended := h.create(), h.create(), h.create()
	h.viewerLink(withLinks)
	revoked := h.viewerLink(noLinks)
	h.do(http.DefaultClient, "DELETE", "/api/labs/"+noLinks.ID+"/viewers", noLinks.Token, "")
	endedViewer := h.viewerLink(ended)
	h.do(http.DefaultClient, "DELETE", "/api/labs/"+ended.ID, ended.Token, "")
	guess := newToken()
	client := &http.Client{Timeout: waitLimit}
	type answer struct {
		status           int
		body, ctype, ret string
	}
	ask := func(id, token, origin string) answer {
		req, _ := http.NewRequest("GET", h.url+"/api/labs/"+id+"/follow", nil)
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		req.Header.Set("Sec-WebSocket-Version", "13")
		req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
		req.Header.Set("Sec-WebSocket-Protocol", "nslab.v1, bearer."+token)
		req.Header.Set("Origin", origin)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("follow %s: %v", id, err)
		}
		defer resp.Body.Close()
		b := make([]byte, 4096)
		n, _ := io.ReadFull(resp.Body, b)
		return answer{resp.StatusCode, string(b[:n]), resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After")}
	}
	want := ask(newLabID(), guess, h.url)
	if want.status != http.StatusNotFound {
		t.Fatalf("a lab that does not exist: %+v, want 404", want)
	}
	for _, tc := range []struct{ name, id, token, origin string }{
		{"a lab with links, a guessed token", withLinks.ID, guess, h.url},
		{"a lab with links, the owner's token", withLinks.ID, withLinks.Token, h.url},
		{"a lab with links, an empty token", withLinks.ID, "", h.url},
		{"a lab with links, a short token", withLinks.ID, "x", h.url},
		{"a lab with links, a long token", withLinks.ID, guess + guess, h.url},
		{"a lab with links, a guess from a foreign origin", withLinks.ID, guess, "https://evil.example"},
		{"a lab whose links were revoked, a revoked token", noLinks.ID, revoked, h.url},
		{"an ended lab, its viewer token", ended.ID, endedViewer, h.url},
		{"a lab id that is not one", "not-a-lab-id!", guess, h.url},
	} {
		if got := ask(tc.id, tc.token, tc.origin); got != want {
			t.Errorf("ATTACK WORKED: %s is answered %+v, a lab that does not exist %+v", tc.name, got, want)
		}
	}
}

// TestAttackRevokedFollowerGetsViewsAfterEnded: the links are revoked
// while a follower's catch-up runs (here: the catch-up's steps after the
// revoke, in a lab with no terminal open, so that only the views are
// left to queue). Nothing may follow the "ended" message: the views of
// the lab after the revoke are not the revoked follower's to see.
func TestAttackRevokedFollowerGetsViewsAfterEnded(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	viewer := h.viewerLink(lab)
	h.dialFollow(lab.ID, viewer) // keeps the views rendered
	ss := h.session(lab.ID)
	waitFor(t, "the views rendered for the audience", func() bool {
		ss.aud.mu.Lock()
		defer ss.aud.mu.Unlock()
		return ss.aud.views != nil
	})
	f := &follower{a: ss.aud, log: ss.log, wake: make(chan struct{}, 1), done: make(chan struct{}), stale: true}
	if err := ss.aud.join(f, viewer); err != nil {
		t.Fatal(err)
	}
	defer ss.aud.leave(f)
	ss.aud.revoke("revoked by the test")
	f.catchUp()
	f.a.mu.Lock()
	q := f.q
	f.a.mu.Unlock()
	if len(q) == 0 || !strings.Contains(string(q[len(q)-1]), `"type":"ended"`) {
		last := ""
		if len(q) > 0 {
			last = string(q[len(q)-1])
		}
		t.Errorf("ATTACK WORKED: after the revoke the follower's queue ends with %.80q, not the \"ended\" message (%d frames)", last, len(q))
	}
}

// TestAttackStalledFollowerOutlivesTheRevoke: a follower stops reading
// (its socket full of the lab's output), the owner revokes the links and
// types a secret; then the follower reads again. It must get nothing
// written after the revoke, then "ended" and the close.
func TestAttackStalledFollowerOutlivesTheRevoke(t *testing.T) {
	h := newHarness(t, Limits{})
	lab, owner := h.ownerWithShell()
	viewer := h.viewerLink(lab)
	var raw *net.TCPConn
	ws, _, err := h.tryFollow(lab.ID, viewer, func(network, addr string) (net.Conn, error) {
		c, err := net.Dial(network, addr)
		if err == nil {
			raw = c.(*net.TCPConn)
			raw.SetReadBuffer(4 << 10)
		}
		return c, err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	owner.waitFollowers(1)
	owner.run(0, "head -c 400000 /dev/zero | tr '\\0' x | fold -w 79; echo flood-$((3*3))", "flood-9")
	resp, body := h.do(http.DefaultClient, "DELETE", "/api/labs/"+lab.ID+"/viewers", lab.Token, "")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE viewers: %s %s", resp.Status, body)
	}
	owner.run(0, "echo SECRET-$((6*7))-AFTER", "SECRET-42-AFTER")
	raw.SetReadBuffer(1 << 20) // reading again, at speed
	var seen strings.Builder
	ended := false
	for {
		// The server lets go of the connection 2 s (closeWait) after its
		// close frame is written; what it wrote before may not all come
		// (the kernel gives up on a closed socket's unsent bytes), so a
		// few seconds of silence end the reading too.
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		kind, data, err := ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				// The server may give up on the stalled writer first
				// (keepalive.write): closed without "ended" is fine too.
				t.Logf("connection ended: %v", err)
			}
			break
		}
		if kind == websocket.BinaryMessage {
			seen.Write(data[1:])
			continue
		}
		if strings.Contains(string(data), `"ended"`) {
			ended = true
		}
	}
	if strings.Contains(seen.String(), "SECRET-42") {
		t.Error("ATTACK WORKED: the revoked follower was sent what the owner typed after the revoke")
	}
	t.Logf("after the revoke the follower read %d bytes of output, ended message: %v", seen.Len(), ended)
	waitFor(t, "no followers", func() bool { return h.session(lab.ID).aud.counts().Followers == 0 })
}
