//go:build linux

package nsengine

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Escape tried: bind an AF_VSOCK port from a lab. vsock ports are one
// space for the whole machine, whatever the network namespace, so the
// real machine's bind of the same port would then fail (EADDRINUSE).
func TestAttackVsockBind(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	port := 40000 + os.Getpid()%20000
	n, p := holdInLab(t, l, fmt.Sprintf("%s=1 exec /proc/self/fd/0 vsock-bind %d 30", attackHelperEnv, port))
	if n != int(unix.EAFNOSUPPORT) {
		t.Errorf("ATTACK WORKED: socket(AF_VSOCK) and bind to port %d in the lab: errno %d, want %d (EAFNOSUPPORT)", port, n, int(unix.EAFNOSUPPORT))
	}
	// The real machine binds the same port while the lab holds whatever
	// it got.
	fd, err := unix.Socket(unix.AF_VSOCK, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Logf("the real machine has no vsock (%v): only the lab's side is checked", err)
	} else {
		err := unix.Bind(fd, &unix.SockaddrVM{CID: unix.VMADDR_CID_ANY, Port: uint32(port)})
		unix.Close(fd)
		if err != nil {
			t.Errorf("ATTACK WORKED: the real machine cannot bind vsock port %d: %v", port, err)
		}
	}
	p.Signal(syscall.SIGKILL)
	p.Wait()
	afterAttack(t, e, other)
}

// deniedSocketFamilies are address families tried from a lab, with
// socket and socketpair: none is in allowedSocketFamilies, and each is
// kernel code a lesson does without (some reach past the network
// namespace, as AF_VSOCK does; asking for a family the kernel lacks also
// makes it load a module, net-pf-N).
var deniedSocketFamilies = map[string]int{
	"AF_VSOCK": unix.AF_VSOCK, "AF_ALG": unix.AF_ALG, "AF_BLUETOOTH": unix.AF_BLUETOOTH,
	"AF_KEY": unix.AF_KEY, "AF_RDS": unix.AF_RDS, "AF_TIPC": unix.AF_TIPC, "AF_CAN": unix.AF_CAN,
	"AF_XDP": unix.AF_XDP, "AF_NFC": unix.AF_NFC, "AF_SMC": unix.AF_SMC, "AF_QIPCRTR": unix.AF_QIPCRTR,
	"AF_PPPOX": unix.AF_PPPOX, "AF_LLC": unix.AF_LLC, "AF_X25": unix.AF_X25, "AF_AX25": unix.AF_AX25,
	"AF_APPLETALK": unix.AF_APPLETALK, "AF_ATMPVC": unix.AF_ATMPVC, "AF_RXRPC": unix.AF_RXRPC,
	"AF_KCM": unix.AF_KCM, "AF_MCTP": unix.AF_MCTP, "AF_PHONET": unix.AF_PHONET,
	"AF_IEEE802154": unix.AF_IEEE802154, "AF_CAIF": unix.AF_CAIF, "AF_IB": unix.AF_IB,
	"AF_DECnet": unix.AF_DECnet, "AF_NETROM": unix.AF_NETROM, "AF_ROSE": unix.AF_ROSE,
}

// Escape tried: sockets of families no lesson needs, with socket and
// socketpair, and with upper bits set in the family (the kernel reads an
// int). The families lessons need keep working, and so do ip and ss.
func TestAttackSocketFamilies(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	var names []string
	args := "h sockets"
	for name, f := range deniedSocketFamilies {
		names = append(names, name)
		args += " " + strconv.Itoa(f)
	}
	out := strings.Split(runAttack(t, l, args), "\n")
	if len(out) != len(names) {
		t.Fatalf("%d answers for %d families: %q", len(out), len(names), out)
	}
	want := strings.TrimSpace(strings.Repeat(strconv.Itoa(int(unix.EAFNOSUPPORT))+" ", 7))
	for i, errnos := range out {
		if errnos != want {
			t.Errorf("ATTACK WORKED: %s: errnos %q for socket and socketpair (stream, dgram, seqpacket) and socket with upper bits, want %q (EAFNOSUPPORT)", names[i], errnos, want)
		}
	}
	// What lessons use: socket() of each allowed family succeeds (errno
	// 0), socketpair of Unix sockets too (its result pointer is NULL: the
	// kernel checks the family first and then says EFAULT). ss's
	// complaint about DCCP, which this kernel may lack, is no matter.
	allowed := fmt.Sprintf(`h syscall %d %d %d 0
h syscall %d %d %d 0
h syscall %d %d %d 0
h syscall %d %d %d %d
h syscall %d %d %d 0
h syscall %d %d %d 0 0
ip link >/dev/null && ss -a >/dev/null 2>&1 && echo tools-ok`,
		unix.SYS_SOCKET, unix.AF_UNIX, unix.SOCK_STREAM,
		unix.SYS_SOCKET, unix.AF_INET, unix.SOCK_DGRAM,
		unix.SYS_SOCKET, unix.AF_INET6, unix.SOCK_STREAM,
		unix.SYS_SOCKET, unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_ROUTE,
		unix.SYS_SOCKET, unix.AF_PACKET, unix.SOCK_DGRAM,
		unix.SYS_SOCKETPAIR, unix.AF_UNIX, unix.SOCK_STREAM)
	if got, want := runAttack(t, l, allowed), "0\n0\n0\n0\n0\n"+strconv.Itoa(int(unix.EFAULT))+"\ntools-ok"; got != want {
		t.Errorf("sockets lessons need: %q, want %q", got, want)
	}
	afterAttack(t, e, other)
}

// sniff counts, for each marker, the packets holding it that a packet
// socket of every protocol on every interface receives for d.
func sniff(d time.Duration, markers []string) (string, error) {
	const ethPAll = 0x0300 // htons(ETH_P_ALL)
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, ethPAll)
	if err != nil {
		return "socket " + errnoOf(err), nil
	}
	defer unix.Close(fd)
	tv := unix.NsecToTimeval((100 * time.Millisecond).Nanoseconds())
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return "", fmt.Errorf("sniff: %w", err)
	}
	counts := make([]int, len(markers))
	buf := make([]byte, 65536)
	for end := time.Now().Add(d); time.Now().Before(end); {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			continue
		}
		for i, m := range markers {
			if bytes.Contains(buf[:n], []byte(m)) {
				counts[i]++
			}
		}
	}
	var out []string
	for _, c := range counts {
		out = append(out, strconv.Itoa(c))
	}
	return strings.Join(out, " "), nil
}

// Escape tried: watch the real machine's traffic (the server's, other
// labs') with a packet socket, which lessons keep for tcpdump. It sees
// the lab's own network namespace only: the lab's own packets, none of
// the machine's on its loopback.
func TestAttackSniffHostTraffic(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	hostMark, labMark := "nslab-host-"+randomHex(4), "nslab-lab-"+randomHex(4)
	c, err := net.Dial("udp", "127.0.0.1:9")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	stop := make(chan struct{})
	sent := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				sent <- n
				return
			case <-time.After(20 * time.Millisecond):
				c.Write([]byte(hostMark))
				n++
			}
		}
	}()
	// A background job's stdin is /dev/null unless redirected: the
	// helper is on fd 0.
	out := runAttack(t, l, fmt.Sprintf(`exec 3<&0; h sniff 2 %s %s 0<&3 &
sleep 0.5; for i in 1 2 3; do echo %s > /dev/udp/127.0.0.1/9; done
wait`, hostMark, labMark, labMark))
	close(stop)
	t.Logf("the machine sent %d packets to its own loopback meanwhile", <-sent)
	var host, lab int
	if _, err := fmt.Sscanf(out, "%d %d", &host, &lab); err != nil {
		t.Fatalf("sniffer: %q", out)
	}
	if lab == 0 {
		t.Errorf("the lab's packet socket saw none of the lab's own packets (%q): the test proves nothing", out)
	}
	if host != 0 {
		t.Errorf("ATTACK WORKED: the lab's packet socket saw %d of the real machine's packets", host)
	}
	afterAttack(t, e, other)
}
