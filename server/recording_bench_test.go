//go:build linux

package server

import (
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"
)

// typicalSession is a scripted session of the lesson's kind: the commands
// a learner or a speaker types while exploring namespaces, each typed a
// key at a time.
var typicalSession = []string{
	"hostname; id; whoami",
	"ps -ef",
	"ls -la / /proc/self/ns",
	"readlink /proc/self/ns/*",
	"unshare --user --map-root-user sh -c 'id; cat /proc/self/uid_map'",
	"sleep 600 &",
	"unshare -Urpf --mount-proc sh -c 'ps -ef; sleep 20' &",
	"ps -eo pid,ppid,user,args",
	"unshare -m sh -c 'mount -t tmpfs tmpfs /mnt; grep /mnt /proc/self/mountinfo; sleep 15' &",
	"cat /proc/self/mountinfo | head -20",
	"unshare -u sh -c 'hostname inside; hostname; sleep 10' &",
	"hostname",
	"ip link; ip addr",
	"jobs; kill %1",
	"cat /etc/passwd /etc/group",
	"ls -l /proc/$$/ns",
}

// BenchmarkRecordingTypicalSession measures the size of a live lab's
// recording after a scripted session typed as a person types (a key
// every 120 ms, a pause after each command), watched as the lab page
// watches (state and views streamed, so the lab is snapshotted every
// 150 ms while in use). The session lasts NSLAB_REC_MINUTES minutes
// (1 unless set), going round typicalSession; bytes is the recording's
// size and bytes/10min that size scaled to ten minutes.
//
//	NSLAB_REC_MINUTES=10 go test -run '^$' -bench RecordingTypicalSession -benchtime 1x -timeout 30m ./server
//
// The target is a typical ten-minute session in at most 2 MB.
func BenchmarkRecordingTypicalSession(b *testing.B) {
	minutes := 1.0
	if v := os.Getenv("NSLAB_REC_MINUTES"); v != "" {
		m, err := strconv.ParseFloat(v, 64)
		if err != nil || m <= 0 {
			b.Fatalf("NSLAB_REC_MINUTES=%q: want a number of minutes", v)
		}
		minutes = m
	}
	length := time.Duration(minutes * float64(time.Minute))
	h := newHarness(b, Limits{})
	var size int
	for b.Loop() {
		c := h.create()
		cl := h.dial(c)
		cl.sendJSON(map[string]any{"type": "subscribe", "state": true, "views": true})
		cl.open(0, 30, 100)
		cl.shellReady(0)
		start := time.Now()
		commands := 0
		for i := 0; time.Since(start) < length; i++ {
			cmd := typicalSession[i%len(typicalSession)]
			cl.mark(0)
			for _, k := range cmd {
				cl.typeIn(0, string(k))
				time.Sleep(120 * time.Millisecond)
			}
			cl.typeIn(0, "\r")
			cl.waitOutput(0, prompt)
			commands++
			time.Sleep(4 * time.Second) // reading what came out
		}
		resp, body := h.do(http.DefaultClient, "GET", "/api/labs/"+c.ID+"/recording", c.Token, "")
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET recording: %s", resp.Status)
		}
		size = len(body)
		b.ReportMetric(float64(commands), "commands")
		h.do(http.DefaultClient, "DELETE", "/api/labs/"+c.ID, c.Token, "")
	}
	b.ReportMetric(float64(size), "bytes")
	b.ReportMetric(float64(size)/minutes*10, "bytes/10min")
}
