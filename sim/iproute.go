package sim

import (
	"sort"
	"strings"
)

// This file holds the IPv4 routes of a network namespace's main table and
// ip route show, add, del and get.

// ipRoute is a route of the main table: one added with ip route add, or
// the prefix route the kernel adds for an address of an up device (proto
// kernel), kept in the order they were made.
type ipRoute struct {
	dst    ipPrefix  // 0.0.0.0/0 for default
	via    ipAddress // the gateway; invalid for a direct route
	dev    *netDevice
	src    ipAddress // kernel routes: the address
	kernel bool
}

// routeView is a route as ip route shows it.
type routeView = ipRoute

// addPrefixRoute adds the kernel's route for address pfx of d, once per
// subnet, while d is up (fib_add_ifaddr).
func (n *NetNamespace) addPrefixRoute(d *netDevice, pfx ipPrefix) {
	if !d.up || d.kind == "loopback" || !pfx.Addr().Is4() || pfx.Bits() == 32 {
		return
	}
	for _, r := range n.routes {
		if r.kernel && r.dev == d && r.dst == pfx.Masked() {
			return
		}
	}
	n.routes = append(n.routes, &ipRoute{dst: pfx.Masked(), dev: d, src: pfx.Addr(), kernel: true})
}

// deviceUp adds the prefix routes of an up device's addresses.
func (n *NetNamespace) deviceUp(d *netDevice) {
	for _, a := range d.addrs {
		if pfx, err := parsePrefix(a); err == nil {
			n.addPrefixRoute(d, pfx)
		}
	}
}

// dropPrefixRoute removes the kernel's route for a deleted address of d
// when no other address of d is in its subnet.
func (n *NetNamespace) dropPrefixRoute(d *netDevice, pfx ipPrefix) {
	for _, a := range d.addrs {
		if x, err := parsePrefix(a); err == nil && x.Masked() == pfx.Masked() {
			return
		}
	}
	kept := n.routes[:0]
	for _, r := range n.routes {
		if !(r.kernel && r.dev == d && r.dst == pfx.Masked()) {
			kept = append(kept, r)
		}
	}
	n.routes = kept
}

// routes4 lists the main table sorted by destination as the kernel's trie
// walks it; routes to one destination in the order they were made.
func (n *NetNamespace) routes4() []routeView {
	var out []routeView
	for _, r := range n.routes {
		out = append(out, *r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].dst, out[j].dst
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c < 0
		}
		return a.Bits() < b.Bits()
	})
	return out
}

// flushRoutes drops the routes through d: a device that goes down or
// away takes them with it.
func (n *NetNamespace) flushRoutes(d *netDevice) {
	kept := n.routes[:0]
	for _, r := range n.routes {
		if r.dev != d {
			kept = append(kept, r)
		}
	}
	n.routes = kept
}

// flushDeadRoutes drops added routes whose gateway no prefix route reaches
// any more (the address that made it reachable went away).
func (n *NetNamespace) flushDeadRoutes() {
	kept := n.routes[:0]
	for _, r := range n.routes {
		if r.kernel || !r.via.IsValid() || n.connected(r.via) != nil {
			kept = append(kept, r)
		}
	}
	n.routes = kept
}

// connected returns the up device whose subnet holds a, or nil: where a
// gateway must be.
func (n *NetNamespace) connected(a ipAddress) *netDevice {
	var best *routeView
	for _, r := range n.routes4() {
		if r.via.IsValid() || !r.dst.Contains(a) {
			continue
		}
		if best == nil || r.dst.Bits() > best.dst.Bits() {
			r := r
			best = &r
		}
	}
	if best == nil {
		return nil
	}
	return best.dev
}

// localAddr reports whether a is an address of the namespace (the local
// table), and the source it answers from.
func (n *NetNamespace) localAddr(a ipAddress) (ipAddress, bool) {
	for _, d := range n.devices {
		if !d.up {
			continue
		}
		for _, x := range d.addrs {
			pfx, err := parsePrefix(x)
			if err != nil || !pfx.Addr().Is4() {
				continue
			}
			if pfx.Addr() == a || d.kind == "loopback" && pfx.Masked().Contains(a) {
				return pfx.Addr(), true
			}
		}
	}
	return ipAddress{}, false
}

// ipRouteCmd is ip route.
func ipRouteCmd(p *Proc, o ipOpts, args []string) int {
	net := p.T.ns.net
	if len(args) == 0 || ipMatches(args[0], "show") || ipMatches(args[0], "list") {
		if len(args) > 1 {
			p.Errorf("Command \"%s\" is unknown, try \"ip route help\".\n", args[1])
			return 255
		}
		if o.family == 6 {
			p.Stdout().Write([]byte(net.routes6()))
			return 0
		}
		var b strings.Builder
		for _, r := range net.routes4() {
			b.WriteString(routeText(r))
		}
		p.Stdout().Write([]byte(b.String()))
		return 0
	}
	switch {
	case ipMatches(args[0], "get"):
		return ipRouteGet(p, net, args[1:])
	case ipMatches(args[0], "add"):
		return ipRouteAddDel(p, net, args[1:], true)
	case ipMatches(args[0], "delete"):
		return ipRouteAddDel(p, net, args[1:], false)
	}
	p.Errorf("Command \"%s\" is unknown, try \"ip route help\".\n", args[0])
	return 255
}

// routeText is one line of ip route.
func routeText(r routeView) string {
	dst := r.dst.String()
	if r.dst.Bits() == 0 {
		dst = "default"
	}
	linkdown := ""
	if !r.dev.carrier() {
		linkdown = "linkdown "
	}
	switch {
	case r.kernel:
		return dst + " dev " + r.dev.name + " proto kernel scope link src " + r.src.String() + " " + linkdown + "\n"
	case r.via.IsValid():
		return dst + " via " + r.via.String() + " dev " + r.dev.name + " " + linkdown + "\n"
	}
	return dst + " dev " + r.dev.name + " scope link " + linkdown + "\n"
}

// parseRouteDst reads a route's destination: default, or a prefix.
func parseRouteDst(s string) (ipPrefix, bool) {
	if s == "default" || s == "all" || s == "any" {
		return prefixFrom(addrFrom4(0), 0), true
	}
	pfx, err := parseIPPrefix(s)
	if err != nil || !pfx.Addr().Is4() {
		return ipPrefix{}, false
	}
	return pfx.Masked(), true
}

// ipRouteAddDel is ip route add|del DST [via GW] [dev NAME].
func ipRouteAddDel(p *Proc, net *NetNamespace, args []string, add bool) int {
	var dst ipPrefix
	var via ipAddress
	haveDst := false
	dev := ""
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "via", "dev":
			if i+1 >= len(args) {
				p.Errorf("Command line is not complete. Try option \"help\"\n")
				return 255
			}
			i++
			if a == "dev" {
				dev = args[i]
				continue
			}
			gw, err := parseAddr(args[i])
			if err != nil || !gw.Is4() {
				p.Errorf("Error: inet address is expected rather than \"%s\".\n", args[i])
				return 1
			}
			via = gw
		default:
			if haveDst {
				p.Errorf("Error: either \"to\" is duplicate, or \"%s\" is a garbage.\n", a)
				return 255
			}
			pfx, ok := parseRouteDst(a)
			if !ok {
				p.Errorf("Error: inet prefix is expected rather than \"%s\".\n", a)
				return 1
			}
			dst, haveDst = pfx, true
		}
	}
	if !haveDst {
		dst = prefixFrom(addrFrom4(0), 0)
	}
	var d *netDevice
	if dev != "" {
		if d = net.device(dev); d == nil {
			p.Errorf("Cannot find device \"%s\"\n", dev)
			return 1
		}
	}
	if ipNoPerm(p, net) {
		return 2
	}
	if !add {
		for i, r := range net.routes {
			if !r.kernel && r.dst == dst && (!via.IsValid() || r.via == via) && (d == nil || r.dev == d) {
				net.routes = append(net.routes[:i], net.routes[i+1:]...)
				return 0
			}
		}
		p.Errorf("RTNETLINK answers: No such process\n")
		return 2
	}
	if !via.IsValid() && d == nil {
		p.Errorf("Error: Device for nexthop is not up.\n")
		return 2
	}
	if via.IsValid() {
		gwDev := net.connected(via)
		if gwDev == nil || d != nil && gwDev != d {
			p.Errorf("Error: Nexthop has invalid gateway.\n")
			return 2
		}
		d = gwDev
	}
	if !d.up {
		p.Errorf("Error: Device for nexthop is not up.\n")
		return 2
	}
	for _, r := range net.routes {
		if r.dst == dst && (!r.kernel || r.dev == d) {
			p.Errorf("RTNETLINK answers: File exists\n")
			return 2
		}
	}
	net.routes = append(net.routes, &ipRoute{dst: dst, via: via, dev: d})
	return 0
}

// ipRouteGet is ip route get ADDR: the route the kernel would take.
func ipRouteGet(p *Proc, net *NetNamespace, args []string) int {
	if len(args) == 0 {
		p.Errorf("need at least a destination address\n")
		return 1
	}
	target := args[len(args)-1]
	a, err := parseAddr(target)
	if err != nil {
		if pfx, perr := parsePrefix(target); perr == nil && pfx.Bits() == pfx.Addr().BitLen() {
			a, err = pfx.Addr(), nil
		}
	}
	if err != nil || !a.Is4() {
		p.Errorf("Error: any valid prefix is expected rather than \"%s\".\n", target)
		return 1
	}
	uid := itoa(int(p.T.creds.UserNS.MungedUID(p.T.creds.EUID)))
	if src, ok := net.localAddr(a); ok {
		p.Printf("local %s dev lo src %s uid %s \n    cache <local> \n", a, src, uid)
		return 0
	}
	var best *routeView
	for _, r := range net.routes4() {
		if !r.dst.Contains(a) || !r.dev.up {
			continue
		}
		if best == nil || r.dst.Bits() > best.dst.Bits() {
			r := r
			best = &r
		}
	}
	if best == nil {
		p.Errorf("RTNETLINK answers: Network is unreachable\n")
		return 2
	}
	line := a.String()
	if best.via.IsValid() {
		line += " via " + best.via.String()
	}
	line += " dev " + best.dev.name
	src := best.src
	if !src.IsValid() {
		for _, x := range best.dev.addrs {
			if pfx, err := parsePrefix(x); err == nil && pfx.Addr().Is4() {
				src = pfx.Addr()
				break
			}
		}
	}
	if src.IsValid() {
		line += " src " + src.String()
	}
	p.Printf("%s uid %s \n    cache \n", line, uid)
	return 0
}

// routes6 is ip -6 route: the main table holds the fe80::/64 route of each
// device with a link-local address, in the order they got it (the lab's
// ::1 route is in the local table).
func (n *NetNamespace) routes6() string {
	var devs []*netDevice
	for _, d := range n.devices {
		if d.linkLocalAt != 0 {
			devs = append(devs, d)
		}
	}
	sort.SliceStable(devs, func(i, j int) bool { return devs[i].linkLocalAt < devs[j].linkLocalAt })
	var b strings.Builder
	for _, d := range devs {
		linkdown := ""
		if !d.carrier() {
			linkdown = "linkdown "
		}
		b.WriteString("fe80::/64 dev " + d.name + " proto kernel metric 256 " + linkdown + "pref medium\n")
	}
	return b.String()
}
