package sim

import (
	"strconv"
	"strings"
)

// This file holds ip(8) of iproute2 6.1: its options and the link and
// address objects. Routes are in iproute.go, ip netns in ipnetns.go.
//
// Not simulated (ip says what the real one says for an unknown word, or
// the kernel's error for a device type the lab's machine lacks): other
// objects (neigh, rule, tuntap…), ip -s/-d detail, link types other than
// veth and bridge, address lifetimes and labels, ip netns attach/set,
// /etc/netns/NAME binds of ip netns exec.

// ipOpts are ip's global options.
type ipOpts struct {
	brief, oneline bool
	family         int // 0 all, 4, 6
}

// ipMatches is iproute2's matches(): cmd is a prefix of pattern.
func ipMatches(cmd, pattern string) bool {
	return cmd != "" && strings.HasPrefix(pattern, cmd)
}

// ipProgram is ip.
func ipProgram(p *Proc) int {
	args := p.Args[1:]
	var o ipOpts
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && len(args[0]) > 1 {
		opt := args[0]
		if strings.HasPrefix(opt, "--") {
			opt = opt[1:]
		}
		switch {
		case opt == "-4":
			o.family = 4
		case opt == "-6":
			o.family = 6
		case ipMatches(opt, "-netns"):
			if len(args) < 2 {
				p.Errorf("Cannot open network namespace \"(null)\": No such file or directory\n")
				return 255
			}
			if code := ipNetnsSwitch(p, args[1]); code != 0 {
				return code
			}
			args = args[1:]
		case ipMatches(opt, "-brief") && len(opt) >= 3:
			o.brief = true
		case ipMatches(opt, "-oneline"):
			o.oneline = true
		case opt == "-d", opt == "-s", opt == "-c":
		default:
			p.Errorf("Option \"%s\" is unknown, try \"ip -help\".\n", args[0])
			return 255
		}
		args = args[1:]
	}
	if len(args) == 0 {
		p.Errorf("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n")
		return 255
	}
	obj, rest := args[0], args[1:]
	// ip.c's table: the first object obj is a prefix of wins.
	switch {
	case ipMatches(obj, "address"):
		return ipAddrCmd(p, o, rest)
	case ipMatches(obj, "route"):
		return ipRouteCmd(p, o, rest)
	case ipMatches(obj, "link"):
		return ipLinkCmd(p, o, rest)
	case ipMatches(obj, "netns") && len(obj) >= 3:
		return ipNetnsCmd(p, rest)
	}
	p.Errorf("Object \"%s\" is unknown, try \"ip help\".\n", obj)
	return 255
}

// ipNoPerm is the answer to a change without CAP_NET_ADMIN over the
// namespace.
func ipNoPerm(p *Proc, net *NetNamespace) bool {
	if p.T.creds.HasCapabilityIn(CapNetAdmin, net.owner) {
		return false
	}
	p.Errorf("RTNETLINK answers: Operation not permitted\n")
	return true
}

// ipShowArgs reads "[dev] NAME" after show; ok is false after an error.
func ipShowArgs(p *Proc, net *NetNamespace, args []string) ([]*netDevice, bool) {
	name := ""
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "dev":
			if i+1 < len(args) {
				i++
				name = args[i]
			}
		case "up":
		default:
			name = args[i]
		}
	}
	if name == "" {
		return net.devices, true
	}
	d := net.device(name)
	if d == nil {
		p.Errorf("Device \"%s\" does not exist.\n", name)
		return nil, false
	}
	return []*netDevice{d}, true
}

// ipLinkCmd is ip link.
func ipLinkCmd(p *Proc, o ipOpts, args []string) int {
	net := p.T.ns.net
	if len(args) == 0 || ipMatches(args[0], "show") || ipMatches(args[0], "list") || args[0] == "lst" {
		if len(args) > 0 {
			args = args[1:]
		}
		devs, ok := ipShowArgs(p, net, args)
		if !ok {
			return 1
		}
		var b strings.Builder
		for _, d := range devs {
			b.WriteString(ipLink(p, d, o, true))
		}
		p.Stdout().Write([]byte(b.String()))
		return 0
	}
	switch {
	case ipMatches(args[0], "set"):
		return ipLinkSet(p, net, args[1:])
	case ipMatches(args[0], "add"):
		return ipLinkAdd(p, net, args[1:])
	case ipMatches(args[0], "delete"):
		return ipLinkDel(p, net, args[1:])
	}
	p.Errorf("Command \"%s\" is unknown, try \"ip link help\".\n", args[0])
	return 255
}

// ipLinkSet is ip link set [dev] NAME up|down|netns NS|master BR|nomaster|name N|mtu N.
func ipLinkSet(p *Proc, net *NetNamespace, args []string) int {
	name := ""
	type change struct{ key, val string }
	var changes []change
	need := func(i int) bool {
		if i+1 >= len(args) {
			p.Errorf("Command line is not complete. Try option \"help\"\n")
			return false
		}
		return true
	}
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "up", "down", "nomaster":
			changes = append(changes, change{a, ""})
		case "netns", "master", "name", "mtu":
			if !need(i) {
				return 255
			}
			changes = append(changes, change{a, args[i+1]})
			i++
		case "dev":
			if !need(i) {
				return 255
			}
			i++
			name = args[i]
		default:
			if name != "" {
				p.Errorf("Error: either \"dev\" is duplicate, or \"%s\" is a garbage.\n", a)
				return 255
			}
			name = a
		}
	}
	if name == "" {
		p.Errorf("Not enough information: \"dev\" argument is required.\n")
		return 255
	}
	// ip resolves the netns argument before it asks the kernel.
	var to *NetNamespace
	for _, c := range changes {
		if c.key == "netns" {
			var code int
			if to, code = ipNetnsArg(p, c.val); code != 0 {
				return code
			}
		}
	}
	d := net.device(name)
	if d == nil {
		p.Errorf("Cannot find device \"%s\"\n", name)
		return 1
	}
	if ipNoPerm(p, net) {
		return 2
	}
	for _, c := range changes {
		switch c.key {
		case "up":
			d.up = true
			net.deviceUp(d)
		case "down":
			d.up = false
			net.flushRoutes(d)
		case "netns":
			if code := ipMoveToNetns(p, net, d, to); code != 0 {
				return code
			}
		case "master":
			br := net.device(c.val)
			if br == nil {
				p.Errorf("Error: argument \"%s\" is wrong: Device does not exist\n\n", c.val)
				return 255
			}
			if br.kind != "bridge" || br == d {
				p.Errorf("RTNETLINK answers: Operation not supported\n")
				return 2
			}
			d.master = br
		case "nomaster":
			d.master = nil
		case "name":
			if x := net.device(c.val); x != nil && x != d {
				p.Errorf("RTNETLINK answers: File exists\n")
				return 2
			}
			d.name = c.val
		case "mtu":
			n, err := strconv.Atoi(c.val)
			if err != nil || n < 0 {
				p.Errorf("Error: argument \"%s\" is wrong: Invalid \"mtu\" value\n\n", c.val)
				return 255
			}
			if n < 68 || n > 65535 && d.kind != "loopback" {
				p.Errorf("Error: mtu less than device minimum.\n")
				return 2
			}
			d.mtu = n
		}
	}
	p.K.netRefresh()
	return 0
}

// device finds a network device by name.
func (n *NetNamespace) device(name string) *netDevice {
	for _, d := range n.devices {
		if d.name == name {
			return d
		}
	}
	return nil
}

// byIndex finds a device by its index.
func (n *NetNamespace) byIndex(i int) *netDevice {
	for _, d := range n.devices {
		if d.index == i {
			return d
		}
	}
	return nil
}

// carrier reports whether a device has a carrier: a veth while its peer
// is up, a bridge while one of its ports forwards (STP is off, so a port
// forwards as soon as it is up with a carrier), others always.
func (d *netDevice) carrier() bool {
	switch {
	case d.peer != nil:
		return d.peer.up
	case d.kind == "bridge":
		return d.forwardingPort() || !d.portsSeen
	}
	return true
}

// forwardingPort reports whether a bridge has a port that forwards.
func (d *netDevice) forwardingPort() bool {
	for _, x := range d.ns.devices {
		if x.master == d && x.up && x.carrier() {
			return true
		}
	}
	return false
}

// ipFlags renders a device's flags; a veth whose peer is down has no
// carrier (M-DOWN when the peer is in the same namespace).
func ipFlags(d *netDevice) string {
	var f []string
	noCarrier := !d.carrier()
	peerDown := d.peer != nil && !d.peer.up && d.peer.ns == d.ns
	if d.up && noCarrier {
		f = append(f, "NO-CARRIER")
	}
	if d.kind == "loopback" {
		f = append(f, "LOOPBACK")
	} else {
		f = append(f, "BROADCAST", "MULTICAST")
	}
	if d.up {
		f = append(f, "UP")
		if !noCarrier {
			f = append(f, "LOWER_UP")
		}
	}
	if peerDown {
		f = append(f, "M-DOWN")
	}
	return "<" + strings.Join(f, ",") + ">"
}

func ipState(d *netDevice) (qdisc, state string) {
	switch {
	case !d.up && d.qdiscAttached:
		return "noqueue", "DOWN"
	case !d.up:
		return "noop", "DOWN"
	case d.kind == "loopback":
		return "noqueue", "UNKNOWN"
	case d.peer != nil && !d.peer.up:
		return "noqueue", "LOWERLAYERDOWN"
	case !d.carrier():
		return "noqueue", "DOWN"
	case d.kind == "bridge" && !d.portsSeen:
		return "noqueue", "UNKNOWN"
	}
	return "noqueue", "UP"
}

// ipName is the device name ip shows: a veth with its peer in the same
// namespace is NAME@PEER, with its peer elsewhere NAME@ifINDEX.
func ipName(d *netDevice) string {
	switch {
	case d.peer == nil:
		return d.name
	case d.peer.ns != d.ns:
		return d.name + "@if" + itoa(d.peer.index)
	}
	return d.name + "@" + d.peer.name
}

// ipMoveToNetns is ip link set DEV netns NS: the device moves to network
// namespace to, keeping its index where it is free. It goes down and
// loses its addresses and routes, as dev_change_net_namespace does.
func ipMoveToNetns(p *Proc, from *NetNamespace, d *netDevice, to *NetNamespace) int {
	if to == nil {
		// A PID that is no process: get_net_ns_by_pid says ESRCH.
		p.Errorf("RTNETLINK answers: No such process\n")
		return 2
	}
	// Moving a device needs CAP_NET_ADMIN over both namespaces.
	if !p.T.creds.HasCapabilityIn(CapNetAdmin, to.owner) {
		p.Errorf("RTNETLINK answers: Operation not permitted\n")
		return 2
	}
	if to == from {
		return 0
	}
	if d.kind == "loopback" || d.kind == "bridge" {
		// NETIF_F_NETNS_LOCAL: loopback and bridges stay where they are.
		p.Errorf("RTNETLINK answers: Invalid argument\n")
		return 2
	}
	if to.device(d.name) != nil {
		p.Errorf("RTNETLINK answers: File exists\n")
		return 2
	}
	from.removeDevice(d)
	d.up, d.master, d.addrs, d.brd, d.qdiscAttached = false, nil, nil, nil, false
	if to.byIndex(d.index) != nil {
		d.index = to.nextIfindex
	}
	if d.index >= to.nextIfindex {
		to.nextIfindex = d.index + 1
	}
	// The old namespace names the new one in its RTM_DELLINK, and the new
	// one names the peer's in its RTM_NEWLINK: each allocates an id.
	from.netnsID(to)
	d.ns = to
	to.devices = append(to.devices, d)
	if d.peer != nil && d.peer.ns != to {
		to.netnsID(d.peer.ns)
	}
	p.K.netRefresh()
	return 0
}

// removeDevice takes d out of n, with its routes, releasing a bridge's
// ports.
func (n *NetNamespace) removeDevice(d *netDevice) {
	for i, x := range n.devices {
		if x == d {
			n.devices = append(n.devices[:i], n.devices[i+1:]...)
			break
		}
	}
	for _, x := range n.devices {
		if x.master == d {
			x.master = nil
		}
	}
	n.flushRoutes(d)
}

// destroyDevices is what the end of a network namespace does to its
// devices: they go, and a veth's peer elsewhere goes with its end.
func (n *NetNamespace) destroyDevices() {
	for _, d := range n.devices {
		if d.peer != nil && d.peer.ns != n {
			d.peer.ns.removeDevice(d.peer)
		}
	}
	n.devices = nil
}

// netnsID is the id namespace n gives other (ip's link-netnsid): handed
// out from 0 the first time it is needed, as the kernel does.
func (n *NetNamespace) netnsID(other *NetNamespace) int {
	if n.peerIDs == nil {
		n.peerIDs = map[*NetNamespace]int{}
	}
	id, ok := n.peerIDs[other]
	if !ok {
		id = len(n.peerIDs)
		n.peerIDs[other] = id
	}
	return id
}

// ipLink renders a device as ip link shows it (mode: with "mode DEFAULT",
// as ip link has it and ip addr has not).
func ipLink(p *Proc, d *netDevice, o ipOpts, mode bool) string {
	qdisc, state := ipState(d)
	if o.brief {
		return sprintf("%-16s %-14s %s %s \n", ipName(d), state, d.mac, ipFlags(d))
	}
	m := ""
	if mode {
		m = "mode DEFAULT "
	}
	master := ""
	if d.master != nil {
		master = "master " + d.master.name + " "
	}
	kind := "ether"
	brd := "ff:ff:ff:ff:ff:ff"
	if d.kind == "loopback" {
		kind, brd = "loopback", "00:00:00:00:00:00"
	}
	netnsid := ipLinkNetns(p, d)
	sep := "\n"
	if o.oneline {
		sep = "\\"
	}
	return sprintf("%d: %s: %s mtu %d qdisc %s %sstate %s %sgroup default qlen 1000%s    link/%s %s brd %s%s\n",
		d.index, ipName(d), ipFlags(d), d.mtu, qdisc, master, state, m, sep, kind, d.mac, brd, netnsid)
}

// ipLinkNetns is the end of a veth's link line when its peer is in
// another namespace: that namespace's name under /run/netns, else the id
// the device's namespace gives it.
func ipLinkNetns(p *Proc, d *netDevice) string {
	if d.peer == nil || d.peer.ns == d.ns {
		return ""
	}
	if name := ipNetnsName(p, d.peer.ns); name != "" {
		return " link-netns " + name
	}
	return " link-netnsid " + itoa(d.ns.netnsID(d.peer.ns))
}

// ipAddrLine is one address of a device.
type ipAddrLine struct {
	cidr, scope, flags string
	v6                 bool
}

// addrLines lists a device's addresses as ip addr shows them: IPv4 first,
// in the order they were added, then IPv6; a loopback device has its
// addresses only while it is up; an up device with a carrier has an IPv6
// link-local address, tentative for the first second (duplicate address
// detection).
func (k *Kernel) addrLines(d *netDevice, family int) []ipAddrLine {
	var out []ipAddrLine
	var v6 []ipAddrLine
	if d.up || d.kind != "loopback" {
		var primary []ipPrefix
		for _, a := range d.addrs {
			pfx, err := parsePrefix(a)
			if err != nil {
				continue
			}
			scope := "global"
			if pfx.Addr().IsLoopback() {
				scope = "host"
			}
			if pfx.Addr().Is6() {
				v6 = append(v6, ipAddrLine{cidr: a, scope: scope, v6: true})
				continue
			}
			flags := ""
			for _, x := range primary {
				if x.Bits() == pfx.Bits() && x.Masked() == pfx.Masked() {
					flags = "secondary "
				}
			}
			if flags == "" {
				primary = append(primary, pfx)
			}
			out = append(out, ipAddrLine{cidr: a, scope: scope, flags: flags})
		}
	}
	if d.linkLocalAt != 0 {
		l := ipAddrLine{cidr: linkLocal(d.mac), scope: "link", v6: true}
		if k.now-d.linkLocalAt < 1e9 {
			l.flags = "tentative "
		}
		v6 = append(v6, l)
	}
	switch family {
	case 4:
		return out
	case 6:
		return v6
	}
	return append(out, v6...)
}

// linkLocal is the EUI-64 link-local address of a MAC address, written
// as the kernel writes it: fe80:: and the last four 16-bit groups in hex,
// the run of zeros after fe80 compressed (with a first group of 0, the
// run takes it in).
func linkLocal(mac string) string {
	var m [6]byte
	for i, part := range strings.Split(mac, ":") {
		if i < 6 {
			v, _ := strconv.ParseUint(part, 16, 8)
			m[i] = byte(v)
		}
	}
	groups := []uint16{uint16(m[0]^2)<<8 | uint16(m[1]), uint16(m[2])<<8 | 0xff, 0xfe<<8 | uint16(m[3]), uint16(m[4])<<8 | uint16(m[5])}
	if groups[0] == 0 {
		groups = groups[1:]
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = strconv.FormatUint(uint64(g), 16)
	}
	return "fe80::" + strings.Join(parts, ":") + "/64"
}

// netRefresh gives devices that came up with a carrier their link-local
// address and takes it from those that went down, in every network
// namespace: a change to one end of a veth changes the other's carrier.
func (k *Kernel) netRefresh() {
	for _, n := range k.namespaces {
		net, ok := n.(*NetNamespace)
		if !ok {
			continue
		}
		for _, d := range net.devices {
			if d.kind == "bridge" && d.up && d.forwardingPort() {
				d.portsSeen = true
			}
		}
		for _, d := range net.devices {
			if d.up {
				d.qdiscAttached = true
			}
			// A device that loses its carrier keeps its link-local
			// address (addrconf only drops addresses on NETDEV_DOWN).
			on := d.up && d.kind != "loopback" && d.carrier()
			switch {
			case on && d.linkLocalAt == 0:
				d.linkLocalAt = k.now
			case !d.up || d.kind == "loopback":
				d.linkLocalAt = 0
			}
		}
	}
}

// ipAddrCmd is ip address.
func ipAddrCmd(p *Proc, o ipOpts, args []string) int {
	net := p.T.ns.net
	if len(args) == 0 || ipMatches(args[0], "show") || ipMatches(args[0], "list") || args[0] == "lst" {
		if len(args) > 0 {
			args = args[1:]
		}
		devs, ok := ipShowArgs(p, net, args)
		if !ok {
			return 1
		}
		var b strings.Builder
		for _, d := range devs {
			b.WriteString(ipAddr(p, d, o))
		}
		p.Stdout().Write([]byte(b.String()))
		return 0
	}
	switch {
	case ipMatches(args[0], "add"):
		return ipAddrAddDel(p, net, args[1:], true)
	case ipMatches(args[0], "delete"):
		return ipAddrAddDel(p, net, args[1:], false)
	}
	p.Errorf("Command \"%s\" is unknown, try \"ip address help\".\n", args[0])
	return 255
}

// ipAddr renders a device for ip addr.
func ipAddr(p *Proc, d *netDevice, o ipOpts) string {
	lines := p.K.addrLines(d, o.family)
	if o.family != 0 && len(lines) == 0 {
		return ""
	}
	if o.brief {
		_, state := ipState(d)
		line := sprintf("%-16s %-14s ", ipName(d), state)
		for _, a := range lines {
			line += a.cidr + " "
		}
		return line + "\n"
	}
	var b strings.Builder
	if !o.oneline {
		head := ipLink(p, d, ipOpts{}, false)
		if o.family == 0 {
			b.WriteString(head)
		} else {
			// Without the link/ether line, what ends it (link-netnsid)
			// ends the first.
			b.WriteString(head[:strings.IndexByte(head, '\n')] + ipLinkNetns(p, d) + "\n")
		}
	}
	for _, a := range lines {
		var l string
		if a.v6 {
			l = sprintf("    inet6 %s scope %s %s", a.cidr, a.scope, a.flags)
		} else {
			brd := ""
			if x := d.brd[a.cidr]; x != "" {
				brd = " brd " + x
			}
			l = sprintf("    inet %s%s scope %s %s%s", a.cidr, brd, a.scope, a.flags, d.name)
		}
		if o.oneline {
			b.WriteString(sprintf("%d: %s%s\\       valid_lft forever preferred_lft forever\n", d.index, d.name, l))
			continue
		}
		b.WriteString(l + "\n       valid_lft forever preferred_lft forever\n")
	}
	return b.String()
}

// ipAddrAddDel is ip addr add|del ADDR[/N] [brd +|-|ADDR] dev NAME.
func ipAddrAddDel(p *Proc, net *NetNamespace, args []string, add bool) int {
	addr, dev, brd := "", "", ""
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "dev", "brd", "broadcast", "local":
			if i+1 >= len(args) {
				p.Errorf("Command line is not complete. Try option \"help\"\n")
				return 255
			}
			i++
			switch a {
			case "dev":
				dev = args[i]
			case "local":
				addr = args[i]
			default:
				brd = args[i]
			}
		default:
			if addr != "" {
				p.Errorf("Error: either \"local\" is duplicate, or \"%s\" is a garbage.\n", a)
				return 255
			}
			addr = a
		}
	}
	if dev == "" {
		p.Errorf("Not enough information: \"dev\" argument is required.\n")
		return 255
	}
	pfx, err := parseIPPrefix(addr)
	if err != nil {
		p.Errorf("Error: any valid prefix is expected rather than \"%s\".\n", addr)
		return 1
	}
	d := net.device(dev)
	if d == nil {
		p.Errorf("Cannot find device \"%s\"\n", dev)
		return 1
	}
	if ipNoPerm(p, net) {
		return 2
	}
	cidr := pfx.String()
	for i, a := range d.addrs {
		x, err := parsePrefix(a)
		if err != nil || x.Addr() != pfx.Addr() {
			continue
		}
		if add {
			p.Errorf("Error: ipv4: Address already assigned.\n")
			return 2
		}
		d.addrs = append(d.addrs[:i], d.addrs[i+1:]...)
		delete(d.brd, a)
		net.dropPrefixRoute(d, x)
		net.flushDeadRoutes()
		return 0
	}
	if !add {
		p.Errorf("Error: ipv4: Address not found.\n")
		return 2
	}
	d.addrs = append(d.addrs, cidr)
	net.addPrefixRoute(d, pfx)
	if pfx.Addr().Is4() && brd != "" && brd != "-" {
		if brd == "+" {
			v := pfx.Addr().v4 | ^mask4(pfx.Bits())
			if pfx.Bits() >= 31 {
				v = 0
			}
			brd = addrFrom4(v).String()
		}
		if brd != "0.0.0.0" {
			if d.brd == nil {
				d.brd = map[string]string{}
			}
			d.brd[cidr] = brd
		}
	}
	return 0
}

// parseIPPrefix reads an address with an optional prefix length, as ip
// does (no length: the whole address).
func parseIPPrefix(s string) (ipPrefix, error) {
	if strings.Contains(s, "/") {
		return parsePrefix(s)
	}
	a, err := parseAddr(s)
	if err != nil {
		return ipPrefix{}, err
	}
	return prefixFrom(a, a.BitLen()), nil
}

// ipLinkAdd adds a veth pair or a bridge.
func ipLinkAdd(p *Proc, net *NetNamespace, args []string) int {
	name, kind, peer := "", "", ""
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "name", "dev":
			if i+1 < len(args) {
				name = args[i+1]
				i++
			}
		case "type":
			if i+1 < len(args) {
				kind = args[i+1]
				i++
			}
			// What follows type belongs to the type: veth's peer.
			for i+1 < len(args) {
				i++
				switch args[i] {
				case "peer":
				case "name":
					if i+1 < len(args) {
						peer = args[i+1]
						i++
					}
				default:
					if peer == "" {
						peer = args[i]
					}
				}
			}
		default:
			if name == "" {
				name = args[i]
			}
		}
	}
	if kind == "" {
		p.Errorf("Not enough information: \"type\" argument is required\n")
		return 255
	}
	if ipNoPerm(p, net) {
		return 2
	}
	if kind != "veth" && kind != "bridge" {
		// The lab's machine has no dummy or other link modules loaded.
		p.Errorf("Error: Unknown device type.\n")
		return 2
	}
	if name != "" && net.device(name) != nil || peer != "" && net.device(peer) != nil {
		p.Errorf("RTNETLINK answers: File exists\n")
		return 2
	}
	// The kernel names an unnamed device after its type, the lowest free
	// number: veth0, bridge0.
	free := func(prefix string) string {
		for i := 0; ; i++ {
			if n := prefix + itoa(i); net.device(n) == nil && n != name {
				return n
			}
		}
	}
	add := func(n string) *netDevice {
		// A random locally administered address, repeatable here.
		x := uint32(net.inode)*2654435761 + uint32(net.nextIfindex)*97
		mac := sprintf("%02x:%02x:%02x:%02x:%02x:%02x", byte(x)&0xfe|0x02, byte(x>>8), byte(x>>16), byte(x>>24), byte(x>>5), byte(x>>13))
		d := &netDevice{name: n, index: net.nextIfindex, kind: kind, mtu: 1500, mac: mac, ns: net}
		net.nextIfindex++
		net.devices = append(net.devices, d)
		return d
	}
	switch kind {
	case "veth":
		// The kernel registers the peer first, so it gets the lower index.
		if peer == "" {
			peer = free("veth")
		}
		b := add(peer)
		if name == "" {
			name = free("veth")
		}
		a := add(name)
		a.peer, b.peer = b, a
	case "bridge":
		if name == "" {
			name = free("bridge")
		}
		add(name)
	}
	return 0
}

// ipLinkDel is ip link delete [dev] NAME: a veth goes with its peer,
// wherever that is; a bridge's ports are released.
func ipLinkDel(p *Proc, net *NetNamespace, args []string) int {
	name := ""
	for i := 0; i < len(args); i++ {
		if args[i] == "dev" && i+1 < len(args) {
			i++
		}
		name = args[i]
	}
	if name == "" {
		p.Errorf("Not enough information: \"dev\" argument is required.\n")
		return 255
	}
	d := net.device(name)
	if d == nil {
		p.Errorf("Cannot find device \"%s\"\n", name)
		return 1
	}
	if ipNoPerm(p, net) {
		return 2
	}
	if d.kind == "loopback" {
		p.Errorf("RTNETLINK answers: Operation not supported\n")
		return 2
	}
	net.removeDevice(d)
	if d.peer != nil {
		d.peer.ns.removeDevice(d.peer)
	}
	p.K.netRefresh()
	return 0
}
