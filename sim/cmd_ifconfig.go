package sim

import (
	"sort"
	"strconv"
	"strings"
)

// This file is ifconfig of net-tools 2.10 in the caller's network
// namespace: the long and short (-s) listings, of the up devices or
// with -a of all, sorted by name as net-tools keeps them; and on one
// device, an IPv4 address (ADDR, ADDR/N, "inet ADDR"), netmask,
// broadcast, mtu, up and down, each one ioctl in the order given. The
// kernel's rules for those ioctls (devinet_ioctl) hold: SIOCSIFADDR
// replaces the device's first IPv4 address (its secondaries go with it),
// gives it the classful prefix and the broadcast address, and ifconfig
// then brings the device up; 0.0.0.0 removes the address; a netmask
// moves the broadcast address along when it was the derived one.
// Anything else in the device's arguments is taken for a host name, as
// ifconfig takes it, and fails to resolve unless /etc/hosts has it.

const ifconfigUsage = `Usage:
  ifconfig [-a] [-v] [-s] <interface> [[<AF>] <address>]
  [add <address>[/<prefixlen>]]
  [del <address>[/<prefixlen>]]
  [[-]broadcast [<address>]]  [[-]pointopoint [<address>]]
  [netmask <address>]  [dstaddr <address>]  [tunnel <address>]
  [outfill <NN>] [keepalive <NN>]
  [hw <HW> <address>]  [mtu <NN>]
  [[-]trailers]  [[-]arp]  [[-]allmulti]
  [multicast]  [[-]promisc]
  [mem_start <NN>]  [io_addr <NN>]  [irq <NN>]  [media <type>]
  [txqueuelen <NN>]
  [name <newname>]
  [[-]dynamic]
  [up|down] ...

  <HW>=Hardware Type.
  List of possible hardware types:
`

// ifconfigHWList and ifconfigAFList are the lists net-tools prints to
// standard error within its usage.
const ifconfigHWList = `    loop (Local Loopback) slip (Serial Line IP) cslip (VJ Serial Line IP) 
    slip6 (6-bit Serial Line IP) cslip6 (VJ 6-bit Serial Line IP) adaptive (Adaptive Serial Line IP) 
    ash (Ash) ether (Ethernet) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) tunnel (IPIP Tunnel) 
    ppp (Point-to-Point Protocol) hdlc ((Cisco)-HDLC) lapb (LAPB) 
    arcnet (ARCnet) dlci (Frame Relay DLCI) frad (Frame Relay Access Device) 
    sit (IPv6-in-IPv4) fddi (Fiber Distributed Data Interface) hippi (HIPPI) 
    irda (IrLAP) ec (Econet) x25 (generic X.25) 
    eui64 (Generic EUI-64) 
`

const ifconfigAFHead = `  <AF>=Address family. Default: inet
  List of possible address families:
`

const ifconfigAFList = `    unix (UNIX Domain) inet (DARPA Internet) inet6 (IPv6) 
    ax25 (AMPR AX.25) netrom (AMPR NET/ROM) rose (AMPR ROSE) 
    ipx (Novell IPX) ddp (Appletalk DDP) ec (Econet) 
    ash (Ash) x25 (CCITT X.25) 
`

// The interface flags ifconfig prints, by bit.
const (
	iffUp        = 0x1
	iffBroadcast = 0x2
	iffLoopback  = 0x8
	iffRunning   = 0x40
	iffMulticast = 0x1000
)

// ifconfigUsageError is usage(E_USAGE): everything on standard error.
func ifconfigUsageError(p *Proc) int {
	p.Errorf("%s%s%s%s", ifconfigUsage, ifconfigHWList, ifconfigAFHead, ifconfigAFList)
	return 3
}

// ifconfigProgram is ifconfig.
func ifconfigProgram(p *Proc) int {
	args := p.Args[1:]
	all, short := false, false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-a":
			all = true
		case "-s":
			short = true
		case "-v":
		case "-V", "-version", "--version":
			p.Printf("net-tools 2.10\n")
			return 0
		case "-?", "-h", "-help", "--help":
			// The lists go to standard error, unbuffered, before
			// the buffered standard output.
			p.Errorf("%s%s", ifconfigHWList, ifconfigAFList)
			p.Printf("%s%s", ifconfigUsage, ifconfigAFHead)
			return 0
		default:
			p.Errorf("ifconfig: option `%s' not recognised.\nifconfig: `--help' gives usage information.\n", args[0])
			return 1
		}
		args = args[1:]
	}
	net := p.T.ns.net
	if len(args) == 0 {
		var devs []*netDevice
		for _, d := range ifconfigSorted(net) {
			if all || d.up {
				devs = append(devs, d)
			}
		}
		p.Printf("%s", ifconfigShow(p.K, devs, short))
		return 0
	}
	d := net.device(args[0])
	if len(args) == 1 {
		if d == nil {
			p.Errorf("%s: error fetching interface information: Device not found\n", args[0])
			return 1
		}
		p.Printf("%s", ifconfigShow(p.K, []*netDevice{d}, short))
		return 0
	}
	return ifconfigSet(p, net, args[0], d, args[1:])
}

// ifconfigSet runs the ioctls the arguments after a device name ask for,
// in order; a prefix length given with the address becomes a netmask
// once all are done. The exit status is that of net-tools: 1 once an
// ioctl failed, 255 once changing the flags failed.
func ifconfigSet(p *Proc, net *NetNamespace, name string, d *netDevice, args []string) int {
	status := 0
	fail := func(ioctl string, err Errno) {
		p.Errorf("%s: %s\n", ioctl, err.Error())
		status |= 1
	}
	allowed := p.T.creds.HasCapabilityIn(CapNetAdmin, net.owner)
	// setFlag is set_flag and clr_flag: SIOCGIFFLAGS, then SIOCSIFFLAGS.
	setFlag := func(up, change bool) {
		if d == nil {
			p.Errorf("%s: ERROR while getting interface flags: %s\n", name, ENODEV.Error())
			status = -1
			return
		}
		if !allowed {
			p.Errorf("SIOCSIFFLAGS: %s\n", EPERM.Error())
			status = -1
			return
		}
		if !change || d.up == up {
			return
		}
		d.up = up
		if up {
			net.deviceUp(d)
		} else {
			net.flushRoutes(d)
		}
		p.K.netRefresh()
	}
	// ioctlErr is what an ioctl on the device fails with before it looks
	// at its argument.
	ioctlErr := func() Errno {
		switch {
		case d == nil:
			return ENODEV
		case !allowed:
			return EPERM
		}
		return 0
	}
	// netmask is SIOCSIFNETMASK on the device's first address.
	netmask := func(m ipAddress) {
		if e := ioctlErr(); e != 0 {
			fail("SIOCSIFNETMASK", e)
			return
		}
		first, _, ok := ifconfigFirst4(d)
		if !ok {
			fail("SIOCSIFNETMASK", errAddrNotAvail)
			return
		}
		bits, ok := ifconfigMaskBits(m)
		if !ok {
			fail("SIOCSIFNETMASK", EINVAL)
			return
		}
		ifconfigNetmask(net, d, first, bits)
	}
	// The address family may come first; inet is the default.
	if args[0] == "inet" {
		args = args[1:]
	}
	didNetmask := false
	var pendingMask *ipAddress
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch a {
		case "up", "down":
			setFlag(a == "up", true)
			continue
		case "mtu":
			if i+1 >= len(args) {
				return ifconfigUsageError(p)
			}
			i++
			n, _ := strconv.Atoi(args[i])
			if e := ioctlErr(); e != 0 {
				fail("SIOCSIFMTU", e)
			} else if n < 68 || n > 65535 {
				fail("SIOCSIFMTU", EINVAL)
			} else {
				d.mtu = n
			}
			continue
		case "netmask":
			if i+1 >= len(args) || didNetmask {
				return ifconfigUsageError(p)
			}
			i++
			m, ok := ifconfigResolve(p, args[i])
			if !ok {
				status |= 1
				continue
			}
			didNetmask = true
			netmask(m)
			continue
		case "broadcast":
			if i+1 < len(args) {
				i++
				brd, ok := ifconfigResolve(p, args[i])
				if !ok {
					status |= 1
					continue
				}
				if e := ioctlErr(); e != 0 {
					fail("SIOCSIFBRDADDR", e)
				} else if first, _, ok := ifconfigFirst4(d); !ok {
					fail("SIOCSIFBRDADDR", errAddrNotAvail)
				} else {
					ifconfigSetBrd(d, first, brd.String())
				}
			}
			setFlag(false, false)
			continue
		}
		// An address, with an optional prefix length (INET_getmask,
		// whose shift is the machine's: only its low five bits count).
		host, plen, hasLen := strings.Cut(a, "/")
		if hasLen {
			if didNetmask {
				return ifconfigUsageError(p)
			}
			n, ok := ifconfigStrtoul(plen)
			if !ok {
				return ifconfigUsageError(p)
			}
			m := addrFrom4(^(uint32(0xffffffff) >> (n & 31)))
			pendingMask = &m
		}
		addr, ok := ifconfigResolve(p, host)
		if !ok {
			p.Errorf("ifconfig: `--help' gives usage information.\n")
			return 1
		}
		if e := ioctlErr(); e != 0 {
			fail("SIOCSIFADDR", e)
		} else {
			ifconfigSetAddr(net, d, addr)
		}
		setFlag(true, true)
	}
	if pendingMask != nil {
		netmask(*pendingMask)
	}
	return status & 0xff
}

// ifconfigStrtoul is strtoul(s, &end, 0) with nothing left over: decimal,
// 0x hex or 0 octal, after optional blanks and sign.
func ifconfigStrtoul(s string) (uint64, bool) {
	t := strings.TrimLeft(s, " \t")
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg, t = t[0] == '-', t[1:]
	}
	base := 10
	switch {
	case len(t) > 1 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'):
		base, t = 16, t[2:]
	case len(t) > 1 && t[0] == '0':
		base, t = 8, t[1:]
	}
	if t == "" {
		return 0, base != 10 || s == ""
	}
	n, err := strconv.ParseUint(t, base, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// ifconfigResolve reads an address as net-tools does (INET_resolve): a
// dotted quad, or a name from /etc/hosts; numbers and dots that are no
// address are an unknown host, any other name fails to resolve (the lab
// has no DNS). It prints herror's message for a failure.
func ifconfigResolve(p *Proc, s string) (ipAddress, bool) {
	if a, err := parseAddr(s); err == nil && a.Is4() {
		return a, true
	}
	if strings.Trim(s, "0123456789.") == "" {
		p.Errorf("%s: Unknown host\n", s)
		return ipAddress{}, false
	}
	if a, _, ok := pingResolve(p, s, true, false); ok {
		return a, true
	}
	p.Errorf("%s: Host name lookup failure\n", s)
	return ipAddress{}, false
}

// ifconfigMaskBits turns a netmask into a prefix length; a mask that is
// not contiguous is refused (inet_mask_len's bad_mask check: EINVAL).
func ifconfigMaskBits(m ipAddress) (int, bool) {
	for bits := 0; bits <= 32; bits++ {
		if mask4(bits) == m.v4 {
			return bits, true
		}
	}
	return 0, false
}

// ifconfigFirst4 is the device's first IPv4 address, which the address
// ioctls act on (the first with the device's label).
func ifconfigFirst4(d *netDevice) (ipPrefix, int, bool) {
	if d == nil {
		return ipPrefix{}, -1, false
	}
	for i, a := range d.addrs {
		if pfx, err := parsePrefix(a); err == nil && pfx.Addr().Is4() {
			return pfx, i, true
		}
	}
	return ipPrefix{}, -1, false
}

// ifconfigSetBrd gives address pfx of d the broadcast address brd.
func ifconfigSetBrd(d *netDevice, pfx ipPrefix, brd string) {
	if d.brd == nil {
		d.brd = map[string]string{}
	}
	if brd == "0.0.0.0" {
		delete(d.brd, pfx.String())
		return
	}
	d.brd[pfx.String()] = brd
}

// ifconfigDerivedBrd is the broadcast address the kernel derives for an
// address of a broadcast device: none for /31 and /32.
func ifconfigDerivedBrd(pfx ipPrefix) string {
	if pfx.Bits() >= 31 {
		return "0.0.0.0"
	}
	return addrFrom4(pfx.Addr().v4 | ^mask4(pfx.Bits())).String()
}

// ifconfigRemove takes address pfx off d, and with it the secondaries
// of its subnet (promote_secondaries is off), as inet_del_ifa does.
func ifconfigRemove(net *NetNamespace, d *netDevice, pfx ipPrefix) {
	kept := d.addrs[:0]
	for _, a := range d.addrs {
		x, err := parsePrefix(a)
		if err == nil && x.Addr().Is4() && (x == pfx || x.Bits() == pfx.Bits() && x.Masked() == pfx.Masked()) {
			delete(d.brd, a)
			continue
		}
		kept = append(kept, a)
	}
	d.addrs = kept
	net.dropPrefixRoute(d, pfx)
	net.flushDeadRoutes()
}

// ifconfigInsert puts a new primary IPv4 address where inet_insert_ifa
// does: after the last primary address of no wider scope (a host-scope
// address goes first).
func ifconfigInsert(net *NetNamespace, d *netDevice, pfx ipPrefix, brd string) {
	at := 0
	var primaries []ipPrefix
	for i, a := range d.addrs {
		x, err := parsePrefix(a)
		if err != nil || !x.Addr().Is4() {
			continue
		}
		secondary := false
		for _, y := range primaries {
			if y.Bits() == x.Bits() && y.Masked() == x.Masked() {
				secondary = true
			}
		}
		if secondary {
			continue
		}
		primaries = append(primaries, x)
		if !pfx.Addr().IsLoopback() || x.Addr().IsLoopback() {
			at = i + 1
		}
	}
	cidr := pfx.String()
	d.addrs = append(d.addrs[:at], append([]string{cidr}, d.addrs[at:]...)...)
	ifconfigSetBrd(d, pfx, brd)
	net.addPrefixRoute(d, pfx)
}

// ifconfigSetAddr is SIOCSIFADDR: the device's first IPv4 address
// becomes a, with its classful prefix and the derived broadcast address;
// 0.0.0.0 removes it; the same address again changes nothing.
func ifconfigSetAddr(net *NetNamespace, d *netDevice, a ipAddress) {
	first, _, had := ifconfigFirst4(d)
	if had {
		if first.Addr() == a {
			return
		}
		ifconfigRemove(net, d, first)
	}
	if a.v4 == 0 {
		return
	}
	pfx := prefixFrom(a, ifconfigClassBits(a))
	brd := "0.0.0.0"
	if d.kind != "loopback" {
		brd = ifconfigDerivedBrd(pfx)
	}
	ifconfigInsert(net, d, pfx, brd)
}

// ifconfigNetmask is SIOCSIFNETMASK on address pfx of d: re-inserted with
// the new prefix, its broadcast address following when it was the
// derived one.
func ifconfigNetmask(net *NetNamespace, d *netDevice, pfx ipPrefix, bits int) {
	if pfx.Bits() == bits {
		return
	}
	brd := d.brd[pfx.String()]
	if brd == "" {
		brd = "0.0.0.0"
	}
	next := prefixFrom(pfx.Addr(), bits)
	if d.kind != "loopback" && pfx.Bits() < 31 && brd == ifconfigDerivedBrd(pfx) {
		brd = ifconfigDerivedBrd(next)
	}
	kept := d.addrs[:0]
	for _, a := range d.addrs {
		if a != pfx.String() {
			kept = append(kept, a)
		}
	}
	d.addrs = kept
	delete(d.brd, pfx.String())
	net.dropPrefixRoute(d, pfx)
	net.flushDeadRoutes()
	ifconfigInsert(net, d, next, brd)
}

// ifconfigClassBits is the classful prefix length of a (inet_abc_len).
func ifconfigClassBits(a ipAddress) int {
	switch v := a.v4 >> 24; {
	case v < 128:
		return 8
	case v < 192:
		return 16
	case v < 224:
		return 24
	}
	return 32
}

// ifconfigSorted lists the devices as net-tools keeps them: sorted by
// name, runs of digits compared as numbers (nstrcmp).
func ifconfigSorted(net *NetNamespace) []*netDevice {
	devs := append([]*netDevice(nil), net.devices...)
	sort.SliceStable(devs, func(i, j int) bool { return ifconfigNameLess(devs[i].name, devs[j].name) })
	return devs
}

// ifconfigNameLess is net-tools' nstrcmp: equal up to a digit, the
// numbers that start there decide.
func ifconfigNameLess(a, b string) bool {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] && !isDigit(a[i]) {
		i++
	}
	if i < len(a) && i < len(b) && isDigit(a[i]) && isDigit(b[i]) {
		na, ra := ifconfigLeadingNumber(a[i:])
		nb, rb := ifconfigLeadingNumber(b[i:])
		if na != nb {
			return na < nb
		}
		return ifconfigNameLess(ra, rb)
	}
	return a[i:] < b[i:]
}

func ifconfigLeadingNumber(s string) (int, string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:]
}

// ifconfigFlags are a device's interface flags.
func ifconfigFlags(d *netDevice) int {
	f := iffBroadcast | iffMulticast
	if d.kind == "loopback" {
		f = iffLoopback
	}
	if d.up {
		f |= iffUp
		if d.carrier() {
			f |= iffRunning
		}
	}
	return f
}

// ifconfigShow renders devices in the long or the short format.
func ifconfigShow(k *Kernel, devs []*netDevice, short bool) string {
	var b strings.Builder
	if short {
		b.WriteString("Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n")
		for _, d := range devs {
			f := ifconfigFlags(d)
			var letters strings.Builder
			for _, x := range []struct {
				bit int
				c   byte
			}{{iffBroadcast, 'B'}, {iffLoopback, 'L'}, {iffMulticast, 'M'}, {iffRunning, 'R'}, {iffUp, 'U'}} {
				if f&x.bit != 0 {
					letters.WriteByte(x.c)
				}
			}
			name := d.name
			if len(name) > 15 {
				name = name[:15]
			}
			b.WriteString(sprintf("%-15s %5d %8d %6d %6d %-6d %8d %6d %6d %6d %s\n", name, d.mtu, d.rxPackets, 0, 0, 0, d.txPackets, 0, 0, 0, letters.String()))
		}
		return b.String()
	}
	for _, d := range devs {
		f := ifconfigFlags(d)
		var names []string
		for _, x := range []struct {
			bit  int
			name string
		}{{iffUp, "UP"}, {iffBroadcast, "BROADCAST"}, {iffLoopback, "LOOPBACK"}, {iffRunning, "RUNNING"}, {iffMulticast, "MULTICAST"}} {
			if f&x.bit != 0 {
				names = append(names, x.name)
			}
		}
		b.WriteString(sprintf("%s: flags=%d<%s>  mtu %d\n", d.name, f, strings.Join(names, ","), d.mtu))
		for _, l := range k.addrLines(d, 4) {
			pfx, err := parsePrefix(l.cidr)
			if err != nil {
				continue
			}
			b.WriteString("        inet " + pfx.Addr().String() + "  netmask " + addrFrom4(mask4(pfx.Bits())).String())
			if f&iffBroadcast != 0 {
				brd := d.brd[l.cidr]
				if brd == "" {
					brd = "0.0.0.0"
				}
				b.WriteString("  broadcast " + brd)
			}
			b.WriteString("\n")
			break
		}
		for _, l := range k.addrLines(d, 6) {
			addr, bits, _ := strings.Cut(l.cidr, "/")
			scope := "0x0<global>"
			switch l.scope {
			case "host":
				scope = "0x10<host>"
			case "link":
				scope = "0x20<link>"
			}
			b.WriteString("        inet6 " + addr + "  prefixlen " + bits + "  scopeid " + scope + "\n")
		}
		if d.kind == "loopback" {
			b.WriteString("        loop  txqueuelen 1000  (Local Loopback)\n")
		} else {
			b.WriteString("        ether " + d.mac + "  txqueuelen 1000  (Ethernet)\n")
		}
		b.WriteString(sprintf("        RX packets %d  bytes %d (%s)\n", d.rxPackets, d.rxBytes, ifconfigBytes(d.rxBytes)))
		b.WriteString("        RX errors 0  dropped 0  overruns 0  frame 0\n")
		b.WriteString(sprintf("        TX packets %d  bytes %d (%s)\n", d.txPackets, d.txBytes, ifconfigBytes(d.txBytes)))
		b.WriteString("        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n")
	}
	return b.String()
}

// ifconfigBytes is a byte count as net-tools scales it: one decimal,
// truncated, in the largest of KiB, MiB, GiB, TiB, PiB the count
// exceeds, else B.
func ifconfigBytes(n uint64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"}
	i := 0
	for i+1 < len(units) && n > uint64(1)<<(10*(i+1)) {
		i++
	}
	tenths := n * 10 >> (10 * i)
	return sprintf("%d.%d %s", tenths/10, tenths%10, units[i])
}
