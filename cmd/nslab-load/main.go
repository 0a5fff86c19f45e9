// Command nslab-load puts a running `nslab serve` under the load of many
// people typing at once, and says how fast their keystrokes came back.
//
// It creates --labs labs at once through the API, opens a terminal in
// each over the websocket as the lab page does (views streamed, every
// output frame acknowledged), and types commands (echo N, ls /, ps, id…)
// one key at a time at a human pace (--key-interval, jittered) until
// --duration has passed. For every key it measures the time from sending
// the key to receiving its echo. Then it deletes its labs and prints one
// line of JSON (labs, keystrokes, p50/p95/p99/max in ms, errors and their
// kinds) and one line for people.
//
//	nslab serve --addr 127.0.0.1:8080 --max-labs 200 --max-labs-per-client -1 --creates-per-minute -1 &
//	nslab-load --url http://127.0.0.1:8080 --labs 10 --duration 30s
//
// It exits 0 when the run had no error, 1 otherwise, 2 on bad flags.
// docs/BENCHMARKS.md says how to run it and what a small machine holds.
//
// It is a load generator for one's own server: it refuses any address
// that is not loopback (127.0.0.0/8, ::1, localhost), and its counts and
// times are capped (--labs at most 500, --duration at most 10 minutes).
// It must not be pointed at servers one does not run.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Hard caps: a run is bounded whatever the flags say.
const (
	maxLabs     = 500
	maxDuration = 10 * time.Minute
	minInterval = 10 * time.Millisecond
	// echoTimeout is how long a key's echo may take before it counts as
	// an error (and the lab's typist stops).
	echoTimeout = 5 * time.Second
	// promptTimeout is how long a command may run before its prompt
	// comes back.
	promptTimeout = 10 * time.Second
	// stopGrace is how long after --duration the typists may take to
	// finish (a command's prompt, deleting the labs) before the run
	// ends without them.
	stopGrace = 30 * time.Second
	// apiConns bounds the HTTP connections (API requests and websocket
	// handshakes) open at once, well under the server's default per
	// client.
	apiConns = 8
)

// handshakes holds a token per websocket handshake under way.
var handshakes = make(chan struct{}, apiConns)

// prompt is the shell prompt the typist sets, to know a command ended.
const prompt = "[load]# "

// commands are typed in turn; %d is the lab's number.
var commands = []string{"echo %d", "ls /", "ps", "id", "hostname", "echo $((%d*2))", "uname -s", "cat /etc/hostname"}

type config struct {
	base     *url.URL
	labs     int
	duration time.Duration
	interval time.Duration
	views    bool
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("nslab-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	u := fs.String("url", "http://127.0.0.1:8080", "the server, on a loopback address only")
	labs := fs.Int("labs", 10, "labs typed into at once (at most "+strconv.Itoa(maxLabs)+")")
	duration := fs.Duration("duration", 30*time.Second, "how long to type (at most "+maxDuration.String()+")")
	interval := fs.Duration("key-interval", 120*time.Millisecond, "mean time between keys of one typist (jittered ±50%)")
	views := fs.Bool("views", true, "stream the rendered views as the lab page does")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := checkFlags(*u, *labs, *duration, *interval)
	if err != nil {
		fmt.Fprintln(stderr, "nslab-load:", err)
		return 2
	}
	cfg.views = *views
	res := load(cfg)
	j, _ := json.Marshal(res)
	fmt.Fprintln(stdout, string(j))
	fmt.Fprintf(stdout, "%d labs, %d keystrokes in %s: echo p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; %d errors\n",
		res.Labs, res.Keystrokes, res.Duration, res.P50, res.P95, res.P99, res.Max, res.Errors)
	if res.Errors > 0 {
		return 1
	}
	return 0
}

// checkFlags refuses what a load generator must not do: aim off this
// machine, or run unbounded.
func checkFlags(raw string, labs int, d, interval time.Duration) (config, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return config{}, fmt.Errorf("--url %q: want http://HOST:PORT", raw)
	}
	if err := loopbackOnly(u.Hostname()); err != nil {
		return config{}, fmt.Errorf("--url %q: %w", raw, err)
	}
	switch {
	case labs < 1 || labs > maxLabs:
		return config{}, fmt.Errorf("--labs %d: want 1 to %d", labs, maxLabs)
	case d <= 0 || d > maxDuration:
		return config{}, fmt.Errorf("--duration %s: want more than 0, at most %s", d, maxDuration)
	case interval < minInterval:
		return config{}, fmt.Errorf("--key-interval %s: want at least %s", interval, minInterval)
	}
	u.Path, u.RawQuery, u.Fragment = "", "", ""
	return config{base: u, labs: labs, duration: d, interval: interval}, nil
}

// loopbackOnly accepts a loopback IP, or a name all of whose addresses
// are loopback.
func loopbackOnly(host string) error {
	var ips []net.IP
	if ip := net.ParseIP(host); ip != nil {
		ips = []net.IP{ip}
	} else {
		found, err := net.LookupIP(host)
		if err != nil || len(found) == 0 {
			return fmt.Errorf("cannot resolve %q: %v", host, err)
		}
		ips = found
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("%s is not a loopback address: nslab-load only loads a server on this machine", ip)
		}
	}
	return nil
}

// result is what a run prints, as JSON.
type result struct {
	Labs       int            `json:"labs"`
	Duration   string         `json:"duration"`
	Keystrokes int            `json:"keystrokes"`
	Commands   int            `json:"commands"`
	P50        float64        `json:"p50_ms"`
	P95        float64        `json:"p95_ms"`
	P99        float64        `json:"p99_ms"`
	Max        float64        `json:"max_ms"`
	Errors     int            `json:"errors"`
	ErrorKinds map[string]int `json:"error_kinds,omitempty"`
}

// tally gathers the typists' measurements.
type tally struct {
	mu       sync.Mutex
	lat      []time.Duration
	commands int
	errs     map[string]int
}

func (t *tally) fail(kind string, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errs[kind]++
	if t.errs[kind] <= 3 {
		fmt.Fprintf(os.Stderr, "nslab-load: %s: %v\n", kind, err)
	}
}

func (t *tally) key(d time.Duration) {
	t.mu.Lock()
	t.lat = append(t.lat, d)
	t.mu.Unlock()
}

func load(cfg config) result {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), cfg.duration)
	defer cancel()
	t := &tally{errs: map[string]int{}}
	// At most apiConns HTTP connections at once (requests queue for
	// them), as the server bounds connections per client address.
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxConnsPerHost: apiConns, MaxIdleConnsPerHost: apiConns}}
	var wg sync.WaitGroup
	for i := 0; i < cfg.labs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			typist(ctx, cfg, client, i, t)
		}()
	}
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(cfg.duration + stopGrace):
		// A server that stopped answering must not hold the run: report
		// what there is; the labs left over end at the server's grace or
		// idle timeout.
		t.fail("stuck", fmt.Errorf("typists still busy %s after the end; giving up on them", stopGrace))
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	lat := slices.Clone(t.lat)
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	n := 0
	kinds := map[string]int{}
	for k, v := range t.errs {
		n += v
		kinds[k] = v
	}
	return result{
		Labs: cfg.labs, Duration: time.Since(start).Round(time.Millisecond).String(),
		Keystrokes: len(lat), Commands: t.commands,
		P50: pct(0.50), P95: pct(0.95), P99: pct(0.99), Max: pct(1),
		Errors: n, ErrorKinds: kinds,
	}
}

// lab is one created lab.
type lab struct{ ID, Token string }

// typist creates a lab, types into its terminal until ctx ends, and
// deletes it.
func typist(ctx context.Context, cfg config, client *http.Client, n int, t *tally) {
	l, err := create(client, cfg.base)
	if err != nil {
		t.fail("create", err)
		return
	}
	defer func() {
		if err := remove(client, cfg.base, l); err != nil {
			t.fail("delete", err)
		}
	}()
	term, err := dialTerm(cfg, l)
	if err != nil {
		t.fail("websocket", err)
		return
	}
	defer term.close()
	// Output is matched from the moment before the send: the answer may
	// arrive before the send returns.
	sent := time.Now()
	term.send(websocket.BinaryMessage, []byte("\x00PS1='[load]''# '\r"))
	if _, err := term.waitFor([]byte(prompt), sent, promptTimeout); err != nil {
		t.fail("first prompt", err)
		return
	}
	rng := rand.New(rand.NewPCG(uint64(n), uint64(time.Now().UnixNano())))
	for c := 0; ; c++ {
		cmd := commands[c%len(commands)]
		if strings.Contains(cmd, "%d") {
			cmd = fmt.Sprintf(cmd, n)
		}
		for i := 0; i < len(cmd); i++ {
			// A human pace: the mean interval, ±50%.
			pause := cfg.interval/2 + time.Duration(rng.Int64N(int64(cfg.interval)+1))
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
			sent := time.Now()
			term.send(websocket.BinaryMessage, []byte{0, cmd[i]})
			got, err := term.waitFor([]byte{cmd[i]}, sent, echoTimeout)
			if err != nil {
				t.fail("echo", fmt.Errorf("lab %d, key %q of %q: %w", n, cmd[i], cmd, err))
				return
			}
			t.key(got.Sub(sent))
		}
		sent := time.Now()
		term.send(websocket.BinaryMessage, []byte("\x00\r"))
		if _, err := term.waitFor([]byte(prompt), sent, promptTimeout); err != nil {
			t.fail("command", fmt.Errorf("lab %d, %q: %w", n, cmd, err))
			return
		}
		t.mu.Lock()
		t.commands++
		t.mu.Unlock()
	}
}

func create(client *http.Client, base *url.URL) (lab, error) {
	resp, err := client.Post(base.String()+"/api/labs", "application/json", nil)
	if err != nil {
		return lab{}, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusCreated {
		return lab{}, fmt.Errorf("POST /api/labs: %s %s", resp.Status, bytes.TrimSpace(body))
	}
	var l lab
	if err := json.Unmarshal(body, &l); err != nil || l.ID == "" || l.Token == "" {
		return lab{}, fmt.Errorf("POST /api/labs: %q: %v", body, err)
	}
	return l, nil
}

func remove(client *http.Client, base *url.URL, l lab) error {
	req, _ := http.NewRequest("DELETE", base.String()+"/api/labs/"+l.ID, nil)
	req.Header.Set("Authorization", "Bearer "+l.Token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("DELETE lab %s: %s", l.ID, resp.Status)
	}
	return nil
}

// term is terminal 0 of a lab over its websocket. A reader goroutine
// acknowledges every output frame at once (as the page does after
// rendering) and timestamps it.
type term struct {
	ws     *websocket.Conn
	wmu    sync.Mutex
	frames chan frame
	done   chan struct{}
	err    error // why reading ended; read after done
}

type frame struct {
	at   time.Time
	data []byte
}

func dialTerm(cfg config, l lab) (*term, error) {
	ws := *cfg.base
	ws.Scheme = "ws"
	if cfg.base.Scheme == "https" {
		ws.Scheme = "wss"
	}
	ws.Path = "/api/labs/" + l.ID + "/ws"
	d := websocket.Dialer{Subprotocols: []string{"nslab.v1", "bearer." + l.Token}, HandshakeTimeout: 30 * time.Second}
	handshakes <- struct{}{}
	conn, resp, err := d.Dial(ws.String(), http.Header{"Origin": {cfg.base.String()}})
	<-handshakes
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("%w (%s)", err, resp.Status)
		}
		return nil, err
	}
	t := &term{ws: conn, frames: make(chan frame, 256), done: make(chan struct{})}
	go t.read()
	sub, _ := json.Marshal(map[string]any{"type": "subscribe", "state": false, "views": cfg.views})
	t.send(websocket.TextMessage, sub)
	t.send(websocket.TextMessage, []byte(`{"type":"open","term":0,"rows":24,"cols":80}`))
	return t, nil
}

func (t *term) send(kind int, b []byte) {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	t.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	t.ws.WriteMessage(kind, b)
}

func (t *term) read() {
	defer close(t.done)
	for {
		kind, data, err := t.ws.ReadMessage()
		at := time.Now()
		if err != nil {
			t.err = err
			return
		}
		if kind == websocket.TextMessage {
			var m struct{ Type, Message, Reason string }
			json.Unmarshal(data, &m)
			switch m.Type {
			case "error":
				t.err = errors.New("server said: " + m.Message)
				return
			case "ended", "exit":
				t.err = fmt.Errorf("server said %s: %s", m.Type, m.Reason)
				return
			}
			continue
		}
		if len(data) < 1 || data[0] != 0 {
			continue
		}
		t.send(websocket.TextMessage, []byte(`{"type":"ack","term":0,"bytes":`+strconv.Itoa(len(data)-1)+`}`))
		select {
		case t.frames <- frame{at, data[1:]}:
		default:
			t.err = errors.New("output piled up unread")
			return
		}
	}
}

// waitFor returns when output that arrived after since holds want.
func (t *term) waitFor(want []byte, since time.Time, timeout time.Duration) (time.Time, error) {
	deadline := time.After(timeout)
	var seen []byte
	for {
		select {
		case f := <-t.frames:
			if f.at.Before(since) {
				continue
			}
			seen = append(seen, f.data...)
			if bytes.Contains(seen, want) {
				return f.at, nil
			}
		case <-t.done:
			return time.Time{}, fmt.Errorf("connection ended: %v", t.err)
		case <-deadline:
			return time.Time{}, fmt.Errorf("no %q within %s (got %q)", want, timeout, lastBytes(seen, 80))
		}
	}
}

func lastBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

func (t *term) close() {
	t.wmu.Lock()
	t.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	t.wmu.Unlock()
	t.ws.Close()
	<-t.done
}
