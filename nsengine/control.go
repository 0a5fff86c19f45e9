//go:build linux

package nsengine

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// The engine and a lab's init talk over a SOCK_SEQPACKET socket pair: one
// JSON message per packet, file descriptors beside it as SCM_RIGHTS. The
// engine sends requests, init sends replies and exit reports. init runs as
// the lab's root, so the engine checks everything init sends: sizes are
// bounded by the packet buffer, stray fds closed, and a message that
// cannot be read or answers nothing the engine asked counts as bad (a few
// end the lab, see Lab.read).

// maxMessage bounds one control message (argv and environment included).
const maxMessage = 64 << 10

// maxFDs bounds the descriptors that travel with one message.
const maxFDs = 3

// Operations.
const (
	opGo          = "go"           // engine → init: you are in your cgroups; set up the lab (fd: the lab's devpts)
	opStart       = "start"        // engine → init: start a process (fds: its stdio)
	opSignal      = "signal"       // engine → init: signal a process it started
	opSignalGroup = "signal-group" // engine → init: signal the process group of a process it started
	opReady       = "ready"        // init → engine: the lab is set up
	opStarted     = "started"      // init → engine: the process runs (fd: PTY master)
	opExit        = "exit"         // init → engine: a process it started has ended
	opError       = "error"        // init → engine: a request failed
)

// message is every control message; each op uses some of the fields.
type message struct {
	Op string `json:"op"`
	// ID pairs a start request with its reply.
	ID uint64 `json:"id,omitempty"`

	Setup *labSetup `json:"setup,omitempty"`

	Argv []string `json:"argv,omitempty"`
	Env  []string `json:"env,omitempty"`
	Dir  string   `json:"dir,omitempty"`
	// Stdio says which of stdin, stdout, stderr came as fds (in that order);
	// init opens the lab's /dev/null for the others.
	Stdio [3]bool `json:"stdio,omitempty"`
	PTY   bool    `json:"pty,omitempty"`
	Rows  uint16  `json:"rows,omitempty"`
	Cols  uint16  `json:"cols,omitempty"`

	// PID is in the lab host's PID namespace.
	PID    int `json:"pid,omitempty"`
	Signal int `json:"signal,omitempty"`
	// Status is an exit code, or 128+signal for a killed process.
	Status int    `json:"status,omitempty"`
	Err    string `json:"err,omitempty"`
}

// labSetup is what init needs to build the lab.
type labSetup struct {
	// RootFS is the folder on the real machine whose entries become the
	// lab's root: the engine's locked binds (see lockedbinds.go); "" for
	// binds of the host's system folders made by init (not locked).
	RootFS     string `json:"rootfs,omitempty"`
	TmpfsBytes int64  `json:"tmpfs_bytes"`
	Hostname   string `json:"hostname"`

	// idmap, in init, has the engine idmap a locked bind (see
	// idmapview.go); nil leaves the system folders as they are.
	idmap func(name, path string) (int, error)
	// devpts, in init, is the lab's devpts that the engine made and sent
	// with the go message (see labdevpts.go).
	devpts *os.File
}

// send writes one message with fds.
func send(c *net.UnixConn, m message, fds ...int) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if len(b) > maxMessage {
		return fmt.Errorf("control message of %d bytes: at most %d", len(b), maxMessage)
	}
	var oob []byte
	if len(fds) > 0 {
		oob = unix.UnixRights(fds...)
	}
	_, _, err = c.WriteMsgUnix(b, oob, nil)
	return err
}

// errBadMessage marks a message that could not be read; the connection is
// still good.
var errBadMessage = errors.New("bad control message")

// receiver reads messages from one connection, reusing its buffers: a
// peer that floods the socket costs no garbage.
type receiver struct {
	c        *net.UnixConn
	buf, oob []byte
}

func newReceiver(c *net.UnixConn) *receiver {
	return &receiver{c: c, buf: make([]byte, maxMessage), oob: make([]byte, unix.CmsgSpace(maxFDs*4))}
}

// receive reads one message and the fds that came with it, as files. The
// caller owns the files. A message that cannot be read is errBadMessage;
// any other error means the connection is gone.
func (r *receiver) receive() (message, []*os.File, error) {
	buf, oob := r.buf, r.oob
	n, oobn, flags, _, err := r.c.ReadMsgUnix(buf, oob)
	var files []*os.File
	if oobn > 0 {
		// Take ownership of every fd before anything can fail.
		msgs, _ := unix.ParseSocketControlMessage(oob[:oobn])
		for _, cm := range msgs {
			fds, _ := unix.ParseUnixRights(&cm)
			for _, fd := range fds {
				files = append(files, os.NewFile(uintptr(fd), "received"))
			}
		}
	}
	fail := func(err error) (message, []*os.File, error) {
		closeFiles(files)
		return message{}, nil, err
	}
	if err != nil {
		return fail(err)
	}
	if n == 0 {
		return fail(errEOF)
	}
	if flags&(unix.MSG_TRUNC|unix.MSG_CTRUNC) != 0 {
		return fail(fmt.Errorf("%w: longer than %d bytes", errBadMessage, maxMessage))
	}
	var m message
	if err := json.Unmarshal(buf[:n], &m); err != nil {
		return fail(fmt.Errorf("%w: %w", errBadMessage, err))
	}
	return m, files, nil
}

// errEOF is what receive returns when the peer has gone.
var errEOF = errors.New("control socket closed")

func closeFiles(fs []*os.File) {
	for _, f := range fs {
		if f != nil {
			f.Close()
		}
	}
}

// socketPair makes the control socket: the engine's end as a conn, init's
// end as a file to pass at exec.
func socketPair() (*net.UnixConn, *os.File, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("control socket: %w", err)
	}
	ours := os.NewFile(uintptr(fds[0]), "control")
	defer ours.Close()
	c, err := net.FileConn(ours)
	if err != nil {
		unix.Close(fds[1])
		return nil, nil, fmt.Errorf("control socket: %w", err)
	}
	return c.(*net.UnixConn), os.NewFile(uintptr(fds[1]), "control"), nil
}
