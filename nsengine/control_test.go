//go:build linux

package nsengine

import (
	"log/slog"
	"net"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// fakeInit wires a Lab's read loop to a socket that the test plays init on.
func fakeInit(t testing.TB) (*Lab, *net.UnixConn, chan struct{}) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	conn := func(fd int) *net.UnixConn {
		f := os.NewFile(uintptr(fd), "control")
		defer f.Close()
		c, err := net.FileConn(f)
		if err != nil {
			t.Fatal(err)
		}
		return c.(*net.UnixConn)
	}
	l := &Lab{
		eng: &Engine{log: slog.New(slog.DiscardHandler)}, id: "fake", ctl: conn(fds[0]),
		pending: map[uint64]chan startReply{}, procs: map[int]*Proc{},
	}
	done := make(chan struct{})
	go func() {
		l.read()
		close(done)
	}()
	return l, conn(fds[1]), done
}

// FuzzLabRead feeds the engine whatever a hostile init might send: the
// read loop must neither crash nor stop reading, and must close every fd.
func FuzzLabRead(f *testing.F) {
	for _, seed := range []string{
		`{"op":"started","id":1,"pid":5}`, `{"op":"exit","pid":5,"status":1}`,
		`{"op":"error","id":1,"err":"x"}`, `{"op":"ready"}`, `{`, ``, `null`,
		`{"op":"started","id":18446744073709551615,"pid":-1}`,
	} {
		f.Add([]byte(seed), false)
	}
	f.Fuzz(func(t *testing.T, msg []byte, withFD bool) {
		l, initEnd, done := fakeInit(t)
		// A start is pending, as it would be in a live lab.
		ch := make(chan startReply, 1)
		l.pending[1] = ch
		watched := &Proc{lab: l, pid: 424242, done: make(chan struct{})}
		l.procs[watched.pid] = watched
		var oob []byte
		if withFD {
			oob = unix.UnixRights(int(os.Stdin.Fd()))
		}
		initEnd.WriteMsgUnix(msg, oob, nil)
		// The loop still reads after it: the exit of a watched process
		// arrives.
		if _, _, err := initEnd.WriteMsgUnix([]byte(`{"op":"exit","pid":424242,"status":3}`), nil, nil); err != nil {
			t.Fatal(err)
		}
		initEnd.Close()
		<-done
		select {
		case <-watched.done:
		default:
			// An empty packet reads as the end of the socket; in a live
			// lab that ends the lab.
			if len(msg) > 0 {
				t.Errorf("the read loop stopped after %q", msg)
			}
		}
		select {
		case r := <-ch:
			closeFiles(r.files)
		default:
		}
		l.ctl.Close()
	})
}

// An init that keeps sending garbage is taken for someone in the lab
// playing init: the engine stops listening (and, for a live lab, ends it)
// rather than log without end.
func TestBadMessagesEndTheReadLoop(t *testing.T) {
	l, initEnd, done := fakeInit(t)
	defer l.ctl.Close()
	defer initEnd.Close()
	for i := 0; i < maxBadMessages; i++ {
		initEnd.WriteMsgUnix([]byte("not json"), nil, nil)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the read loop still listens after a stream of bad messages")
	}
}
