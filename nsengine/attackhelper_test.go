//go:build linux

package nsengine

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The attack helper is this test binary, run inside a lab: a test passes
// the binary as the lab process's stdin, and a script runs it as
// /proc/self/fd/0 with attackHelperEnv set. It makes the raw system calls
// an attacker would, which shell tools cannot, and prints the outcome: an
// errno number (0 for success) or a word. It never runs tests.

const attackHelperEnv = "NSLAB_ATTACK_HELPER"

// attackShell is put before every attack script: h runs the helper.
const attackShell = `h() { ` + attackHelperEnv + `=1 /proc/self/fd/0 "$@" </proc/self/fd/0; }
`

func init() {
	if os.Getenv(attackHelperEnv) != "1" || isLabInit() {
		return
	}
	runtime.LockOSThread()
	out, err := attackHelper(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "attack helper:", err)
		os.Exit(2)
	}
	fmt.Println(out)
	os.Exit(0)
}

// errnoOf is the errno number of err, 0 for nil, -1 for another error.
func errnoOf(err error) string {
	if err == nil {
		return "0"
	}
	var e unix.Errno
	if errors.As(err, &e) {
		return strconv.Itoa(int(e))
	}
	return "-1"
}

func num(s string) uintptr {
	n, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		panic(err)
	}
	return uintptr(n)
}

// attackHelper runs one operation.
func attackHelper(args []string) (string, error) {
	if len(args) == 0 {
		return "", errors.New("no operation")
	}
	op, args := args[0], args[1:]
	switch op {
	case "syscall": // NR [ARG...]: the call's errno
		var a [6]uintptr
		for i := 1; i < len(args) && i <= 6; i++ {
			a[i-1] = num(args[i])
		}
		_, _, e := unix.Syscall6(num(args[0]), a[0], a[1], a[2], a[3], a[4], a[5])
		return strconv.Itoa(int(e)), nil
	case "ioctl-char": // PATH|FD REQUEST CHAR: ioctl with a pointer to one byte (TIOCSTI)
		fd, err := strconv.Atoi(args[0])
		if err != nil {
			if fd, err = unix.Open(args[0], unix.O_RDWR|unix.O_NOCTTY, 0); err != nil {
				return "open " + errnoOf(err), nil
			}
		}
		c := args[2][0]
		_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), num(args[1]), uintptr(unsafe.Pointer(&c)))
		return strconv.Itoa(int(e)), nil
	case "inject": // PATH TEXT: TIOCSTI every byte of TEXT (and a newline)
		fd, err := unix.Open(args[0], unix.O_RDWR|unix.O_NOCTTY, 0)
		if err != nil {
			return "open " + errnoOf(err), nil
		}
		for _, c := range []byte(args[1] + "\n") {
			_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.TIOCSTI, uintptr(unsafe.Pointer(&c)))
			if e != 0 {
				return strconv.Itoa(int(e)), nil
			}
		}
		return "0", nil
	case "open": // PATH FLAGS (r, w, rw): open's errno
		flags := map[string]int{"r": unix.O_RDONLY, "w": unix.O_WRONLY, "rw": unix.O_RDWR}[args[1]]
		fd, err := unix.Open(args[0], flags|unix.O_NOCTTY, 0)
		if err == nil {
			unix.Close(fd)
		}
		return errnoOf(err), nil
	case "pagecache": // PATH: how many of the file's pages mincore and cachestat say are in the page cache, or their errnos (see pagecache_test.go)
		return pageCacheProbe(args[0])
	case "write": // PATH DATA: open for writing and write, the first errno
		fd, err := unix.Open(args[0], unix.O_WRONLY, 0)
		if err != nil {
			return errnoOf(err), nil
		}
		defer unix.Close(fd)
		_, err = unix.Write(fd, []byte(args[1]))
		return errnoOf(err), nil
	case "inotify-watch": // STOP DIR...: watch DIRs, print each name seen (see watchNames)
		return watchNames(args[0], args[1:])
	case "connect": // NETWORK ADDRESS: "connected" or the error
		c, err := net.DialTimeout(args[0], args[1], 2*time.Second)
		if err != nil {
			return "refused: " + err.Error(), nil
		}
		c.Close()
		return "connected", nil
	case "mount-setattr-rw": // PATH: clear read-only on a mount tree
		attr := &unix.MountAttr{Attr_clr: unix.MOUNT_ATTR_RDONLY}
		return errnoOf(unix.MountSetattr(unix.AT_FDCWD, args[0], unix.AT_RECURSIVE, attr)), nil
	case "fsmount": // FSTYPE SOURCE: fsopen, set the source, create
		fd, err := unix.Fsopen(args[0], unix.FSOPEN_CLOEXEC)
		if err != nil {
			return "fsopen " + errnoOf(err), nil
		}
		defer unix.Close(fd)
		if err := unix.FsconfigSetString(fd, "source", args[1]); err != nil {
			return "source " + errnoOf(err), nil
		}
		return "create " + errnoOf(unix.FsconfigCreate(fd)), nil
	case "ptrace": // PID: PTRACE_ATTACH's errno
		err := unix.PtraceAttach(int(num(args[0])))
		if err == nil {
			unix.PtraceDetach(int(num(args[0])))
		}
		return errnoOf(err), nil
	case "vm-write": // PID: process_vm_writev of one byte to address 1 of PID: EPERM if refused, EFAULT if allowed
		b := []byte{0}
		_, err := unix.ProcessVMWritev(int(num(args[0])), []unix.Iovec{{Base: &b[0], Len: 1}}, []unix.RemoteIovec{{Base: 1, Len: 1}}, 0)
		return errnoOf(err), nil
	case "pidfd-getfd": // PID FD: pidfd_getfd's errno
		pidfd, err := unix.PidfdOpen(int(num(args[0])), 0)
		if err != nil {
			return "pidfd_open " + errnoOf(err), nil
		}
		defer unix.Close(pidfd)
		fd, err := unix.PidfdGetfd(pidfd, int(num(args[1])), 0)
		if err == nil {
			unix.Close(fd)
		}
		return errnoOf(err), nil
	case "inject-syscall": // PID NR [ARG...]: inject the call into every thread of PID, one result a line
		ents, err := os.ReadDir("/proc/" + args[0] + "/task")
		if err != nil {
			return "", err
		}
		var a []uintptr
		for _, s := range args[2:] {
			a = append(a, num(s))
		}
		var out []string
		for _, e := range ents {
			tid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			r := injectSyscall(tid, num(args[1]), a)
			for try := 0; r == "busy" && try < 100; try++ {
				time.Sleep(5 * time.Millisecond)
				r = injectSyscall(tid, num(args[1]), a)
			}
			out = append(out, r)
		}
		return strings.Join(out, "\n"), nil
	case "ptys": // PTMX N [SECONDS]: how many PTYs it could open through PTMX; hold them
		var lim unix.Rlimit
		if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err == nil {
			lim.Cur = lim.Max
			unix.Setrlimit(unix.RLIMIT_NOFILE, &lim)
		}
		n := 0
		for i := 0; i < int(num(args[1])); i++ {
			if _, err := unix.Open(args[0], unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0); err != nil {
				break
			}
			n++
		}
		if len(args) > 2 {
			fmt.Println(n)
			time.Sleep(time.Duration(num(args[2])) * time.Second)
		}
		return strconv.Itoa(n), nil
	case "read-disk": // PATH BLOCKSIZE COUNT direct|random|buffered: "BYTES NANOSECONDS" (see diskio_test.go)
		n, d, err := readDisk(args[0], int(num(args[1])), int(num(args[2])), args[3])
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d %d", n, d.Nanoseconds()), nil
	case "sockets": // FAMILY...: per family, a line of errnos of socket and socketpair (stream, dgram, seqpacket) and of socket with upper bits set in the family
		var lines []string
		for _, a := range args {
			f := num(a)
			var errnos []string
			for _, nr := range []uintptr{unix.SYS_SOCKET, unix.SYS_SOCKETPAIR} {
				for _, typ := range []uintptr{unix.SOCK_STREAM, unix.SOCK_DGRAM, unix.SOCK_SEQPACKET} {
					var fds [2]int32
					r, _, e := unix.Syscall6(nr, f, typ|unix.SOCK_CLOEXEC, 0, uintptr(unsafe.Pointer(&fds)), 0, 0)
					if e == 0 && nr == unix.SYS_SOCKET {
						unix.Close(int(r))
					} else if e == 0 {
						unix.Close(int(fds[0]))
						unix.Close(int(fds[1]))
					}
					errnos = append(errnos, strconv.Itoa(int(e)))
				}
			}
			r, _, e := unix.Syscall(unix.SYS_SOCKET, 1<<32|f, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
			if e == 0 {
				unix.Close(int(r))
			}
			lines = append(lines, strings.Join(append(errnos, strconv.Itoa(int(e))), " "))
		}
		return strings.Join(lines, "\n"), nil
	case "sysctl-change-all": // [SKIP...]: give every writable file under /proc/sys another value; print each path written (see sysctl_test.go)
		return strings.Join(changeEverySysctl(args), "\n"), nil
	case "sniff": // SECONDS MARKER...: how many packets with each marker an AF_PACKET socket saw
		return sniff(time.Duration(num(args[0]))*time.Second, args[1:])
	case "vsock-bind": // PORT SECONDS: bind an AF_VSOCK port of any CID; print the errno, hold it
		fd, err := unix.Socket(unix.AF_VSOCK, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err == nil {
			err = unix.Bind(fd, &unix.SockaddrVM{CID: unix.VMADDR_CID_ANY, Port: uint32(num(args[0]))})
		}
		fmt.Println(errnoOf(err))
		time.Sleep(time.Duration(num(args[1])) * time.Second)
		return errnoOf(err), nil
	case "tcpfill", "udpfill": // N [SECONDS]: fill the buffers of N loopback pairs; print the bytes queued; hold them
		raiseNoFile()
		q, err := fillSockets(op == "udpfill", int(num(args[0])))
		if err != nil {
			return "", err
		}
		if len(args) > 1 {
			fmt.Println(q)
			time.Sleep(time.Duration(num(args[1])) * time.Second)
		}
		return strconv.Itoa(q), nil
	case "inotify": // N [SECONDS]: how many inotify instances it could open; hold them
		n := 0
		for i := 0; i < int(num(args[0])); i++ {
			if _, err := unix.InotifyInit1(unix.IN_CLOEXEC); err == nil {
				n++
			}
		}
		if len(args) > 1 {
			fmt.Println(n)
			time.Sleep(time.Duration(num(args[1])) * time.Second)
		}
		return strconv.Itoa(n), nil
	}
	if out, ok, err := amplificationHelper(op, args); ok {
		return out, err
	}
	if out, ok, err := ptyHelper(op, args); ok {
		return out, err
	}
	return "", fmt.Errorf("unknown operation %q", op)
}

// raiseNoFile raises the soft limit of open files to the hard one.
func raiseNoFile() {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err == nil {
		lim.Cur = lim.Max
		unix.Setrlimit(unix.RLIMIT_NOFILE, &lim)
	}
}

// fillSockets makes up to n pairs of loopback sockets (TCP connections, or
// UDP sockets sending to each other) and writes into each until the kernel
// takes no more, never reading: the bytes sit in the kernel's socket
// buffers. It returns how many bytes the writes queued; it stops early,
// without error, when the process runs out of descriptors.
func fillSockets(udp bool, n int) (int, error) {
	typ := unix.SOCK_STREAM
	if udp {
		typ = unix.SOCK_DGRAM
	}
	lo := &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	var ln int
	if !udp {
		var err error
		if ln, err = unix.Socket(unix.AF_INET, typ, 0); err != nil {
			return 0, fmt.Errorf("socket: %w", err)
		}
		if err := unix.Bind(ln, lo); err != nil {
			return 0, fmt.Errorf("bind: %w", err)
		}
		if err := unix.Listen(ln, 4096); err != nil {
			return 0, fmt.Errorf("listen: %w", err)
		}
	}
	buf := make([]byte, 64<<10)
	queued, rcvbuf := 0, 0
	for i := 0; i < n; i++ {
		a, err := unix.Socket(unix.AF_INET, typ|unix.SOCK_NONBLOCK, 0)
		if err != nil {
			break
		}
		if udp {
			b, err := unix.Socket(unix.AF_INET, typ, 0)
			if err != nil {
				break
			}
			// As large as net.core.rmem_max lets (SO_RCVBUFFORCE needs the
			// real machine's CAP_NET_ADMIN).
			unix.SetsockoptInt(b, unix.SOL_SOCKET, unix.SO_RCVBUF, 64<<20)
			unix.Bind(b, lo)
			rcvbuf, _ = unix.GetsockoptInt(b, unix.SOL_SOCKET, unix.SO_RCVBUF)
			sa, _ := unix.Getsockname(b)
			if err := unix.Connect(a, sa); err != nil {
				return 0, fmt.Errorf("connect: %w", err)
			}
			buf = buf[:8<<10]
		} else {
			sa, _ := unix.Getsockname(ln)
			if err := unix.Connect(a, sa); err != nil && err != unix.EINPROGRESS {
				return 0, fmt.Errorf("connect: %w", err)
			}
			if _, _, err := unix.Accept(ln); err != nil {
				break
			}
		}
		// A UDP datagram that finds the receiver's buffer full is dropped,
		// and the write still succeeds: send twice what the buffer holds.
		writes := 100000
		if udp {
			writes = 2 * rcvbuf / len(buf)
		}
		for k := 0; k < writes; k++ {
			m, err := unix.Write(a, buf)
			if err != nil {
				break
			}
			queued += m
		}
	}
	return queued, nil
}
