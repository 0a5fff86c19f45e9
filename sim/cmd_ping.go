package sim

import (
	"strconv"
	"strings"
)

// This file is ping of iputils 20221126 in the caller's network namespace:
// echo replies from the namespace's own addresses (lo must be up, as the
// kernel delivers them over it) and from any namespace the request and
// the reply both find their way to (netpath.go: routes, ARP over veth
// pairs and bridges, forwarding); no route gives "connect: Network is
// unreachable", a neighbour that does not answer "Destination Host
// Unreachable" once ARP gives up (3 s). The
// round-trip times are the simulator's: fixed, so that runs repeat
// (scenarios cut them, as the real ones vary).

const pingUsage = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
`

// The connect(2) errors of ping, worded as strerror words them.
const (
	errAddrNotAvail   Errno = 99  // EADDRNOTAVAIL
	errNetUnreachable Errno = 101 // ENETUNREACH
)

func init() {
	for e, text := range map[Errno]string{errAddrNotAvail: "Cannot assign requested address", errNetUnreachable: "Network is unreachable"} {
		if _, ok := errnoText[e]; !ok {
			errnoText[e] = text
		}
	}
}

// pingOutcome is what one echo request meets.
type pingOutcome int

const (
	pingReply pingOutcome = iota
	pingLost
	pingHostUnreachable
	pingNetUnreachable
)

// pingProgram is ping.
func pingProgram(p *Proc) int {
	spec := optSpec{short: map[byte]int{'c': 1, 'i': 1, 'W': 1, 'w': 1, 'q': 0, 's': 1, '4': 0, '6': 0, 'n': 0, 'h': 0, 'V': 0}}
	opts, operands, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		p.Errorf("ping: %s\n%s", msg, pingUsage)
		return 2
	}
	count, interval, size := 0, int64(1e9), 56
	waitReply, deadline := int64(10e9), int64(0)
	quiet, only4, only6, numeric := false, false, false, false
	for _, o := range opts {
		switch o.code {
		case 'c', 's':
			n, err := strconv.ParseInt(o.value, 10, 64)
			lo, hi := int64(1), int64(9223372036854775807)
			if o.code == 's' {
				lo, hi = 0, 65507
			}
			if err != nil {
				p.Errorf("ping: invalid argument: '%s'\n", o.value)
				return 1
			}
			if n < lo || n > hi {
				p.Errorf("ping: invalid argument: '%s': out of range: %d <= value <= %d\n", o.value, lo, hi)
				return 1
			}
			if o.code == 'c' {
				count = int(n)
			} else {
				size = int(n)
			}
		case 'i', 'W', 'w':
			f, err := strconv.ParseFloat(o.value, 64)
			if err != nil || f < 0 {
				p.Errorf("ping: invalid argument: '%s'\n", o.value)
				return 1
			}
			switch o.code {
			case 'i':
				interval = int64(f * 1e9)
			case 'W':
				waitReply = int64(f * 1e9)
			default:
				deadline = int64(f * 1e9)
			}
		case 'q':
			quiet = true
		case '4':
			only4 = true
		case '6':
			only6 = true
		case 'n':
			numeric = true
		case 'h':
			p.Errorf("%s", pingUsage)
			return 2
		case 'V':
			p.Printf("ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n")
			return 0
		}
	}
	if len(operands) == 0 {
		p.Errorf("ping: usage error: Destination address required\n")
		return 1
	}
	dest := operands[len(operands)-1]
	addr, name, ok := pingResolve(p, dest, only4, only6)
	if !ok {
		p.Errorf("ping: %s: Temporary failure in name resolution\n", dest)
		return 2
	}
	net := p.T.ns.net
	src, outcome, hops, errno := pingRoute(p.K, net, addr)
	if errno != nil {
		p.Errorf("ping: connect: %s\n", errno.Error())
		return 2
	}
	// What ping prints for the address: the name given and the address,
	// and for a name, the name the replies come from.
	head, from := addr.String(), addr.String()
	if name != "" && !numeric {
		from = pingReverse(p, addr) + " (" + addr.String() + ")"
	}
	if addr.Is6() {
		if name != "" {
			head = name + "(" + from + ")"
		} else {
			head = head + "(" + head + ")"
		}
		p.Printf("PING %s %d data bytes\n", head, size)
	} else {
		shown := dest
		if name != "" && only4 {
			// iputils prints no canonical name for -4 with a name.
			shown = ""
		}
		p.Printf("PING %s (%s) %d(%d) bytes of data.\n", shown, addr, size, size+28)
	}
	// The simulated round trip: loopback is faster than a veth.
	rtt := 40
	if outcome == pingReply && !pingIsLocal(net, addr) {
		rtt = 60
	}
	k, t := p.K, p.T
	interrupted := false
	t.handled[SIGINT] = true
	t.onSignal = func(int) { interrupted = true }
	start, lastSend := k.now, k.now
	sent, received, errors := 0, 0, 0
	for count == 0 || sent < count {
		if deadline > 0 && k.now-start >= deadline {
			break
		}
		sent++
		lastSend = k.now
		switch outcome {
		case pingReply:
			received++
			if !quiet {
				p.Printf("%d bytes from %s: icmp_seq=%d ttl=%d time=%d.%03d ms\n", size+8, from, sent, 64-hops, rtt/1000, rtt%1000)
			}
		case pingHostUnreachable, pingNetUnreachable:
			// A router's "net unreachable" comes at once; a host
			// unreachable once ARP gave up, after 3 s.
			if outcome == pingNetUnreachable || waitReply >= 3e9 {
				errors++
				if !quiet {
					what := "Host"
					if outcome == pingNetUnreachable {
						what = "Net"
					}
					p.Printf("From %s icmp_seq=%d Destination %s Unreachable\n", src, sent, what)
				}
			}
		}
		if count != 0 && sent >= count {
			break
		}
		wake := k.now + interval
		// SIGINT wakes ping at once: its handler ends the loop.
		t.block(func() bool { return k.now >= wake || pingPending(t, SIGINT) }, wake)
		t.checkSignals()
		if interrupted {
			break
		}
	}
	// iputils' "time" runs to the last request sent.
	elapsed := (lastSend - start) / 1e6
	p.Printf("\n--- %s ping statistics ---\n", dest)
	loss := 0
	if sent > 0 {
		loss = (sent - received) * 100 / sent
	}
	if errors > 0 {
		p.Printf("%d packets transmitted, %d received, +%d errors, %d%% packet loss, time %dms\n", sent, received, errors, loss, elapsed)
	} else {
		p.Printf("%d packets transmitted, %d received, %d%% packet loss, time %dms\n", sent, received, loss, elapsed)
	}
	if received > 0 {
		r := sprintf("%d.%03d", rtt/1000, rtt%1000)
		p.Printf("rtt min/avg/max/mdev = %s/%s/%s/0.000 ms\n", r, r, r)
		return 0
	}
	if errors > 1 {
		p.Printf("pipe %d\n", min(errors, 3))
	} else {
		p.Printf("\n")
	}
	return 1
}

// pingResolve turns the destination into an address: a literal, or a
// name from /etc/hosts (IPv6 first, as getaddrinfo sorts ::1 before
// 127.0.0.1). name is empty for a literal.
func pingResolve(p *Proc, dest string, only4, only6 bool) (ipAddress, string, bool) {
	if a, err := parseAddr(dest); err == nil {
		if a.Is4() && only6 || a.Is6() && only4 {
			return a, "", false
		}
		return a, "", true
	}
	data, err := p.ReadFile("/etc/hosts")
	if err != nil {
		return ipAddress{}, "", false
	}
	var v4, v6 ipAddress
	for _, line := range strings.Split(string(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		a, err := parseAddr(f[0])
		if err != nil {
			continue
		}
		for _, n := range f[1:] {
			if n != dest {
				continue
			}
			if a.Is4() && !v4.IsValid() {
				v4 = a
			}
			if a.Is6() && !v6.IsValid() {
				v6 = a
			}
		}
	}
	switch {
	case v6.IsValid() && !only4:
		return v6, dest, true
	case v4.IsValid() && !only6:
		return v4, dest, true
	}
	return ipAddress{}, "", false
}

// pingReverse names an address as /etc/hosts does (its first name).
func pingReverse(p *Proc, a ipAddress) string {
	data, err := p.ReadFile("/etc/hosts")
	if err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			line, _, _ = strings.Cut(line, "#")
			f := strings.Fields(line)
			if len(f) >= 2 {
				if b, err := parseAddr(f[0]); err == nil && b == a {
					return f[1]
				}
			}
		}
	}
	return a.String()
}

// pingIsLocal reports whether a is one of the namespace's own addresses
// on a device that is up.
func pingIsLocal(net *NetNamespace, a ipAddress) bool {
	for _, d := range net.devices {
		if !d.up {
			continue
		}
		if d.kind == "loopback" && (a.IsLoopback()) {
			return true
		}
		for _, cidr := range d.addrs {
			if pfx, err := parsePrefix(cidr); err == nil && pfx.Addr() == a {
				return true
			}
		}
	}
	return false
}

// pingRoute is the kernel's route lookup for a: a local address, a
// connected subnet of an up device, or none (ENETUNREACH; EADDRNOTAVAIL
// for ::1 with lo down, which has no IPv6 address then). It returns the
// source address, what becomes of the request and how many routers the
// reply crossed.
func pingRoute(k *Kernel, net *NetNamespace, a ipAddress) (string, pingOutcome, int, error) {
	var lo *netDevice
	for _, d := range net.devices {
		if d.kind == "loopback" {
			lo = d
		}
	}
	if pingIsLocal(net, a) {
		if lo == nil || !lo.up {
			return a.String(), pingLost, 0, nil
		}
		return a.String(), pingReply, 0, nil
	}
	if a.Is6() && a.IsLoopback() {
		return "", 0, 0, errAddrNotAvail
	}
	if a.Is4() {
		return pingPath(k, net, a)
	}
	for _, d := range net.devices {
		if !d.up || d.kind == "loopback" {
			continue
		}
		for _, cidr := range d.addrs {
			pfx, err := parsePrefix(cidr)
			if err != nil || !pfx.Masked().Contains(a) || pfx.Addr().Is4() != a.Is4() {
				continue
			}
			src := pfx.Addr().String()
			// The far end of a veth answers for any address of its
			// namespace when it is up.
			if peer := d.peer; peer != nil && peer.up && peer.ns != nil && pingIsLocal(peer.ns, a) {
				return src, pingReply, 0, nil
			}
			return src, pingHostUnreachable, 0, nil
		}
	}
	return "", 0, 0, errNetUnreachable
}

// pingPath is what becomes of an echo request to a, an IPv4 address of
// another namespace (netpath.go): it must get there, and the reply must
// find its way back to this namespace. It returns the address that a
// "Destination ... Unreachable" comes from: the sender's own when its ARP
// gets no answer, a router's when the router sends it.
func pingPath(k *Kernel, net *NetNamespace, a ipAddress) (string, pingOutcome, int, error) {
	out := k.send4(net, ipAddress{}, a, 64, true)
	switch {
	case out.noRoute:
		return "", 0, 0, errNetUnreachable
	case out.noNeighbour:
		return out.src.String(), pingHostUnreachable, 0, nil
	case out.unreach != pingReply:
		return out.from.String(), out.unreach, 0, nil
	case out.ns == nil:
		return out.src.String(), pingLost, 0, nil
	}
	// The reply leaves from the address asked for, to the sender's.
	back := k.send4(out.ns, a, out.src, 64, false)
	if back.ns != net {
		return out.src.String(), pingLost, 0, nil
	}
	return out.src.String(), pingReply, back.hops, nil
}

// pingPending reports whether sig waits to be delivered to t.
func pingPending(t *Task, sig int) bool {
	for _, s := range t.pending {
		if s == sig {
			return true
		}
	}
	return false
}
