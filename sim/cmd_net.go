package sim

import (
	"strconv"
	"strings"
)

// This file holds ip(8) of iproute2, for links and addresses.

// ipProgram is ip: link show/set, addr show, -br.
func ipProgram(p *Proc) int {
	args := p.Args[1:]
	brief := false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-br", "-brief":
			brief = true
		case "-o", "-d", "-s", "-c", "-4", "-6":
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
	obj := args[0]
	rest := args[1:]
	net := p.T.ns.net
	switch {
	case strings.HasPrefix("link", obj):
		if len(rest) == 0 || rest[0] == "show" || rest[0] == "list" || rest[0] == "ls" {
			devs, ok := ipSelect(p, net, rest)
			if !ok {
				return 1
			}
			var b strings.Builder
			for _, d := range devs {
				b.WriteString(ipLink(d, brief, true))
			}
			p.Stdout().Write([]byte(b.String()))
			return 0
		}
		if rest[0] == "set" && len(rest) >= 3 {
			d := net.device(rest[1])
			if !p.T.creds.HasCapabilityIn(CapNetAdmin, net.owner) {
				p.Errorf("RTNETLINK answers: Operation not permitted\n")
				return 2
			}
			if d == nil {
				p.Errorf("Cannot find device \"%s\"\n", rest[1])
				return 1
			}
			for i := 2; i < len(rest); i++ {
				switch rest[i] {
				case "up":
					d.up = true
				case "down":
					d.up = false
				case "netns":
					if i+1 >= len(rest) {
						p.Errorf("Command line is not complete. Try option \"help\"\n")
						return 255
					}
					i++
					if code := ipMoveToNetns(p, net, d, rest[i]); code != 0 {
						return code
					}
				}
			}
			return 0
		}
		if rest[0] == "add" || rest[0] == "delete" || rest[0] == "del" {
			return ipLinkAddDel(p, net, rest)
		}
	case strings.HasPrefix("address", obj) || obj == "a" || obj == "addr":
		if len(rest) == 0 || rest[0] == "show" || rest[0] == "list" || rest[0] == "ls" {
			devs, ok := ipSelect(p, net, rest)
			if !ok {
				return 1
			}
			var b strings.Builder
			for _, d := range devs {
				b.WriteString(ipAddr(d, brief))
			}
			p.Stdout().Write([]byte(b.String()))
			return 0
		}
		if rest[0] == "add" && len(rest) >= 4 && rest[2] == "dev" {
			if !p.T.creds.HasCapabilityIn(CapNetAdmin, net.owner) {
				p.Errorf("RTNETLINK answers: Operation not permitted\n")
				return 2
			}
			d := net.device(rest[3])
			if d == nil {
				p.Errorf("Cannot find device \"%s\"\n", rest[3])
				return 1
			}
			addr := rest[1]
			if !strings.Contains(addr, "/") {
				addr += "/32"
			}
			d.addrs = append(d.addrs, addr)
			return 0
		}
	}
	p.Errorf("Command \"%s\" is unknown, try \"ip %s help\".\n", strings.Join(rest[:min(1, len(rest))], ""), obj)
	return 255
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

// ipSelect picks the devices ("dev NAME" or all).
func ipSelect(p *Proc, net *NetNamespace, rest []string) ([]*netDevice, bool) {
	if len(rest) > 1 {
		name := rest[len(rest)-1]
		d := net.device(name)
		if d == nil {
			p.Errorf("Device \"%s\" does not exist.\n", name)
			return nil, false
		}
		return []*netDevice{d}, true
	}
	return net.devices, true
}

// ipFlags renders a device's flags; a veth whose peer is down has no
// carrier (M-DOWN).
func ipFlags(d *netDevice) string {
	var f []string
	// No carrier while the peer is down; M-DOWN is shown only when the
	// peer is in the same namespace.
	noCarrier := d.peer != nil && !d.peer.up
	peerDown := noCarrier && d.peer.ns == d.ns
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
	case !d.up:
		return "noop", "DOWN"
	case d.kind == "loopback":
		return "noqueue", "UNKNOWN"
	case d.peer != nil && !d.peer.up:
		return "noqueue", "LOWERLAYERDOWN"
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

// ipMoveToNetns is ip link set DEV netns PID: the device moves to the
// network namespace of that process, keeping its index where it is free.
func ipMoveToNetns(p *Proc, from *NetNamespace, d *netDevice, target string) int {
	pid, err := strconv.Atoi(target)
	var to *NetNamespace
	if err == nil {
		if t := p.T.PIDNS().tasks[pid]; t != nil && !t.exited {
			to = t.ns.net
		}
	}
	if to == nil {
		p.Errorf("Error: Peer netns reference is invalid.\n")
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
	for i, x := range from.devices {
		if x == d {
			from.devices = append(from.devices[:i], from.devices[i+1:]...)
			break
		}
	}
	// A device leaving its namespace goes down.
	d.up = false
	if to.byIndex(d.index) != nil {
		d.index = to.nextIfindex
	}
	if d.index >= to.nextIfindex {
		to.nextIfindex = d.index + 1
	}
	d.ns = to
	to.devices = append(to.devices, d)
	return 0
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

func ipLink(d *netDevice, brief, mode bool) string {
	qdisc, state := ipState(d)
	if brief {
		return sprintf("%-16s %-14s %s %s \n", ipName(d), state, d.mac, ipFlags(d))
	}
	m := ""
	if mode {
		m = "mode DEFAULT "
	}
	kind := "ether"
	brd := "ff:ff:ff:ff:ff:ff"
	if d.kind == "loopback" {
		kind, brd = "loopback", "00:00:00:00:00:00"
	}
	netnsid := ""
	if d.peer != nil && d.peer.ns != d.ns {
		netnsid = " link-netnsid " + itoa(d.ns.netnsID(d.peer.ns))
	}
	return sprintf("%d: %s: %s mtu %d qdisc %s state %s %sgroup default qlen 1000\n    link/%s %s brd %s%s\n",
		d.index, ipName(d), ipFlags(d), d.mtu, qdisc, state, m, kind, d.mac, brd, netnsid)
}

// ipAddr renders a device for ip addr: a loopback device has its
// addresses only while it is up.
func ipAddr(d *netDevice, brief bool) string {
	var addrs []string
	if d.up || d.kind != "loopback" {
		addrs = d.addrs
	}
	if brief {
		_, state := ipState(d)
		line := sprintf("%-16s %-14s ", ipName(d), state)
		for _, a := range addrs {
			line += a + " "
		}
		return line + "\n"
	}
	var b strings.Builder
	b.WriteString(strings.Replace(ipLink(d, false, false), "", "", 1))
	for _, a := range addrs {
		scope := "global"
		if strings.HasPrefix(a, "127.") || a == "::1/128" {
			scope = "host"
		}
		if strings.Contains(a, ":") {
			b.WriteString(sprintf("    inet6 %s scope %s \n       valid_lft forever preferred_lft forever\n", a, scope))
			continue
		}
		extra := ""
		if scope == "host" {
			extra = " " + d.name
		} else {
			extra = " " + d.name
		}
		b.WriteString(sprintf("    inet %s scope %s%s\n       valid_lft forever preferred_lft forever\n", a, scope, extra))
	}
	return b.String()
}

// ipLinkAddDel adds a dummy or a veth pair, or deletes a link.
func ipLinkAddDel(p *Proc, net *NetNamespace, rest []string) int {
	if !p.T.creds.HasCapabilityIn(CapNetAdmin, net.owner) {
		p.Errorf("RTNETLINK answers: Operation not permitted\n")
		return 2
	}
	if rest[0] != "add" {
		name := rest[len(rest)-1]
		for i, d := range net.devices {
			if d.name == name && d.kind != "loopback" {
				net.devices = append(net.devices[:i], net.devices[i+1:]...)
				if d.peer != nil {
					// Deleting one end of a veth pair deletes both.
					for j, x := range net.devices {
						if x == d.peer {
							net.devices = append(net.devices[:j], net.devices[j+1:]...)
							break
						}
					}
				}
				return 0
			}
		}
		p.Errorf("Cannot find device \"%s\"\n", name)
		return 1
	}
	name, kind, peer := "", "", ""
	for i := 1; i < len(rest); i++ {
		switch rest[i] {
		case "name":
			if i+1 < len(rest) {
				name = rest[i+1]
				i++
			}
		case "type":
			if i+1 < len(rest) {
				kind = rest[i+1]
				i++
			}
		case "peer":
			if i+2 < len(rest) && rest[i+1] == "name" {
				peer = rest[i+2]
				i += 2
			}
		default:
			if name == "" {
				name = rest[i]
			}
		}
	}
	if net.device(name) != nil {
		p.Errorf("RTNETLINK answers: File exists\n")
		return 2
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
			peer = "veth" + itoa(net.nextIfindex-1)
		}
		b := add(peer)
		a := add(name)
		a.peer, b.peer = b, a
	default:
		// The lab's machine has no dummy or bridge modules loaded.
		p.Errorf("Error: Unknown device type.\n")
		return 2
	}
	return 0
}
