//go:build linux

package server

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// followEnv, when set, makes the test binary the audience of
// BenchmarkAudienceEcho instead of running tests: "URL TOKEN N".
const followEnv = "NSLAB_BENCH_FOLLOWERS"

func TestMain(m *testing.M) {
	if spec := os.Getenv(followEnv); spec != "" {
		os.Exit(followerClients(spec))
	}
	os.Exit(m.Run())
}

// BenchmarkAudienceEcho measures the owner's keystroke echo in one live
// lab followed by N read-only followers (audience.go), each a real
// websocket over loopback reading everything it is sent. Every echo is
// fanned out to every follower, and the views are streamed to them as
// the owner's page streams them. The followers stand in for the
// audience's phones: they run in a process of their own at nice 19, so
// that the machine's CPU goes to the server first, as it would with the
// audience on devices of its own. p99-ms is the owner's echo (target
// ≤ 10 ms with 200 followers or more on a 2-core machine); follower-MB
// is what the followers read in all.
//
//	go test -run '^$' -bench AudienceEcho -benchtime 300x ./server
func BenchmarkAudienceEcho(b *testing.B) {
	for _, n := range []int{0, 50, 100, 200, 256, 400} {
		b.Run(fmt.Sprintf("followers=%d", n), func(b *testing.B) { benchAudience(b, n) })
	}
}

func benchAudience(b *testing.B, followers int) {
	h := newHarness(b, Limits{MaxFollowersPerLab: max(followers, 1)})
	owner := newBenchTerm(b, h, true)
	var lab created
	h.srv.mu.Lock()
	for id, ss := range h.srv.sessions {
		lab = created{ID: id, Token: ss.token}
	}
	h.srv.mu.Unlock()
	viewer := h.viewerLink(lab)

	var audience *exec.Cmd
	var stdin io.WriteCloser
	var stdout *bufio.Reader
	if followers > 0 {
		audience = exec.Command("nice", "-n", "19", os.Args[0], "-test.run=^$")
		audience.Env = append(os.Environ(), followEnv+"="+h.url+" "+lab.ID+" "+viewer+" "+strconv.Itoa(followers))
		audience.Stderr = os.Stderr
		var err error
		if stdin, err = audience.StdinPipe(); err != nil {
			b.Fatal(err)
		}
		out, err := audience.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		stdout = bufio.NewReader(out)
		if err := audience.Start(); err != nil {
			b.Fatalf("start the audience: %v", err)
		}
		b.Cleanup(func() { stdin.Close(); audience.Wait() })
		if line, err := stdout.ReadString('\n'); err != nil || line != "ready\n" {
			b.Fatalf("the audience said %q, %v", line, err)
		}
	}
	if n := h.session(lab.ID).aud.counts().Followers; n != followers {
		b.Fatalf("%d followers, want %d", n, followers)
	}
	var lat []time.Duration
	round := 0
	for b.Loop() {
		key, echo := []byte("x"), []byte("x")
		if round%2 == 1 {
			key, echo = []byte{0x7f}, []byte{0x08}
		}
		round++
		d, err := owner.keystroke(key, echo)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, d)
	}
	b.StopTimer()
	if audience != nil {
		stdin.Close()
		line, _ := stdout.ReadString('\n')
		read, err := strconv.ParseInt(strings.TrimSpace(line), 10, 64)
		if err != nil {
			b.Fatalf("the audience said %q at the end", line)
		}
		b.ReportMetric(float64(read)/1e6, "follower-MB")
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
	b.ReportMetric(float64(h.session(lab.ID).aud.catchups.Load()), "catchups")
}

// followerClients is the benchmark's audience: N followers of the lab,
// each reading everything its websocket brings. It prints "ready" once
// each has had its first message, then, when its stdin closes, the bytes
// read in all, and exits.
func followerClients(spec string) int {
	f := strings.Fields(spec)
	if len(f) != 4 {
		fmt.Fprintf(os.Stderr, "%s: want URL ID TOKEN N, got %q\n", followEnv, spec)
		return 2
	}
	base, id, token := f[0], f[1], f[2]
	n, _ := strconv.Atoi(f[3])
	var read atomic.Int64
	var first sync.WaitGroup
	d := websocket.Dialer{Subprotocols: []string{"nslab.v1", "bearer." + token}, HandshakeTimeout: waitLimit}
	for range n {
		ws, _, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/api/labs/"+id+"/follow", http.Header{"Origin": {base}})
		if err != nil {
			fmt.Fprintf(os.Stderr, "follow: %v\n", err)
			return 1
		}
		defer ws.Close()
		first.Add(1)
		go func() {
			// The raw bytes: a phone's work, parsing them, is not the
			// server's.
			buf := make([]byte, 64<<10)
			once := false
			for {
				k, err := ws.NetConn().Read(buf)
				read.Add(int64(k))
				if !once && k > 0 {
					once = true
					first.Done()
				}
				if err != nil {
					if !once {
						first.Done()
					}
					return
				}
			}
		}()
	}
	first.Wait()
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	fmt.Println(read.Load())
	return 0
}
