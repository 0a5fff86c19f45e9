//go:build linux

// Command idlecpu measures what idle live labs cost the server: it starts
// `nslab serve`, makes LABS labs, opens each one's terminal and watches
// its state and views as the lab page does, waits for them to settle,
// then reads the server's CPU time (user and system, from
// /proc/PID/stat) over a period in which nobody types. It prints the CPU
// seconds the server used and the share of one core. It is a
// measurement, not a test (docs/BENCHMARKS.md):
//
//	go run ./e2e/bench/idlecpu [-bin bin/nslab] [-labs 100] [-for 1m]
//
// Run it as root on a machine that makes live labs.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

func main() {
	bin := flag.String("bin", "bin/nslab", "the nslab binary to measure")
	labs := flag.Int("labs", 100, "how many idle labs")
	period := flag.Duration("for", time.Minute, "how long to measure")
	settle := flag.Duration("settle", 5*time.Second, "how long the labs settle before measuring")
	flag.Parse()
	log.SetFlags(0)

	cmd := exec.Command(*bin, "serve", "--addr", "127.0.0.1:0", "--max-labs", "-1", "--max-labs-per-client", "-1",
		"--creates-per-minute", "-1", "--warm", "0", "--grace", "1h", "--idle-timeout", "1h")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		log.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	url := serving(stderr)
	conns := make([]*websocket.Conn, 0, *labs)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < *labs; i++ {
		c, err := openLab(url)
		if err != nil {
			log.Fatalf("lab %d: %v", i+1, err)
		}
		conns = append(conns, c)
	}
	time.Sleep(*settle)
	before := cpuTime(cmd.Process.Pid)
	start := time.Now()
	time.Sleep(*period)
	used := cpuTime(cmd.Process.Pid) - before
	took := time.Since(start)
	fmt.Printf("%d idle labs, watched (state and views) with a terminal open, over %s: server CPU %.2f s (%.2f%% of one core)\n",
		*labs, took.Round(time.Second), used.Seconds(), 100*used.Seconds()/took.Seconds())
}

// serving waits for the server's "serving" log line and returns its URL;
// it then keeps reading the log, so that the server never blocks on it.
func serving(r io.Reader) string {
	re := regexp.MustCompile(`msg="?serving"?.*?\burl="?(https?://[^\s"]+)`)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, r)
			return strings.TrimSuffix(m[1], "/")
		}
	}
	log.Fatal("nslab serve ended before serving")
	return ""
}

// openLab makes a lab, opens its terminal and subscribes to its state
// and views, and reads (and acknowledges) everything it is sent.
func openLab(url string) (*websocket.Conn, error) {
	resp, err := http.Post(url+"/api/labs", "application/json", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var lab struct{ ID, Token string }
	if err := json.NewDecoder(resp.Body).Decode(&lab); err != nil || lab.ID == "" {
		return nil, fmt.Errorf("POST /api/labs: %s %v", resp.Status, err)
	}
	d := websocket.Dialer{Subprotocols: []string{"nslab.v1", "bearer." + lab.Token}}
	ws, _, err := d.Dial("ws"+strings.TrimPrefix(url, "http")+"/api/labs/"+lab.ID+"/ws", http.Header{"Origin": {url}})
	if err != nil {
		return nil, err
	}
	ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"open","term":0,"rows":24,"cols":80}`))
	ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"subscribe","state":true,"views":true}`))
	go func() {
		for {
			kind, b, err := ws.ReadMessage()
			if err != nil {
				return
			}
			if kind == websocket.BinaryMessage && len(b) > 1 {
				ws.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"type":"ack","term":%d,"bytes":%d}`, b[0], len(b)-1)))
			}
		}
	}()
	return ws, nil
}

// cpuTime is process pid's user and system CPU time so far.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		log.Fatal(err)
	}
	// Fields after the command name, which may hold spaces: utime and
	// stime are the 14th and 15th of the whole line.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}
