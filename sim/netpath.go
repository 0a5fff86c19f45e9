package sim

// This file follows an IPv4 packet through the simulated network the way
// the kernel would: a route lookup in the sender's namespace (longest
// prefix, the first made of equal ones, fib_table_lookup), ARP for the
// next hop on the route's device, answered by whichever namespace on that
// link owns the address (arp_ignore 0: any local address, on any of its
// devices), and, when the namespace that gets the packet does not own its
// destination, forwarding if the device it came in on forwards
// (net.ipv4.conf.DEV.forwarding, set by ip_forward). A link is a veth pair
// or a bridge: a frame that comes in on a bridge port goes up to the
// bridge device and out of its other ports (STP off, so a port forwards as
// soon as it is up with a carrier, br_make_forwarding). rp_filter and
// arp_ignore keep their defaults (0), which the lab does not change.

// netHop is where a packet ends up.
type netHop struct {
	// ns and in are the namespace that owns the destination and the
	// device the packet came in on; nil when it went nowhere.
	ns *NetNamespace
	in *netDevice
	// unreach is set when a router on the way sends back an ICMP error
	// (host unreachable, once its ARP gave up; net unreachable, when it
	// has no route); from is the router's address.
	unreach pingOutcome
	from    ipAddress
	// origin is the sender's own failure: no route at all (ENETUNREACH),
	// or no answer to its ARP (host unreachable, from its own address).
	noRoute, noNeighbour bool
	src                  ipAddress // the source address the sender picked
	// hops counts the routers that forwarded it (each takes one off its
	// TTL).
	hops int
}

// lookup4 is the main table's route for a: the longest prefix, of equal
// ones the first made (routes4 keeps that order), through an up device.
func (n *NetNamespace) lookup4(a ipAddress) (routeView, bool) {
	var best *routeView
	for _, r := range n.routes4() {
		if !r.dst.Contains(a) || !r.dev.up {
			continue
		}
		if best == nil || r.dst.Bits() > best.dst.Bits() {
			r := r
			best = &r
		}
	}
	if best == nil {
		return routeView{}, false
	}
	return *best, true
}

// sourceFor is the source address the kernel picks for a route: its
// preferred source, else the device's first IPv4 address, else any of
// the namespace's (inet_select_addr).
func (n *NetNamespace) sourceFor(r routeView) ipAddress {
	if r.src.IsValid() {
		return r.src
	}
	for _, d := range append([]*netDevice{r.dev}, n.devices...) {
		if !d.up || d.kind == "loopback" && d != r.dev {
			continue
		}
		for _, x := range d.addrs {
			if pfx, err := parsePrefix(x); err == nil && pfx.Addr().Is4() {
				return pfx.Addr()
			}
		}
	}
	return addrFrom4(0)
}

// owns reports whether a is one of n's addresses (its local table), not
// counting 127.0.0.0/8, which never goes on a wire.
func (n *NetNamespace) owns(a ipAddress) bool {
	if a.IsLoopback() {
		return false
	}
	_, ok := n.localAddr(a)
	return ok
}

// linkReceivers are the devices that a broadcast frame sent out of d
// reaches: the far end of a veth, and for a bridge (or a frame that comes
// in on one of its ports) the bridge device and the far ends of its other
// ports. A device that is down neither sends nor receives.
func linkReceivers(d *netDevice) []*netDevice {
	var out []*netDevice
	seen := map[*netDevice]bool{}
	var send, arrive func(d *netDevice)
	send = func(d *netDevice) {
		if !d.up || seen[d] {
			return
		}
		seen[d] = true
		switch {
		case d.kind == "bridge":
			for _, p := range d.ns.devices {
				if p.master == d && p.up && p.carrier() {
					send(p)
				}
			}
		case d.peer != nil:
			arrive(d.peer)
		}
	}
	arrive = func(r *netDevice) {
		if !r.up || seen[r] {
			return
		}
		seen[r] = true
		if b := r.master; b != nil {
			// The bridge takes the port's frames (br_handle_frame):
			// up to itself and out of its other ports.
			if b.up && !seen[b] {
				seen[b] = true
				out = append(out, b)
				for _, p := range b.ns.devices {
					if p.master == b && p != r && p.up && p.carrier() {
						send(p)
					}
				}
			}
			return
		}
		out = append(out, r)
	}
	send(d)
	return out
}

// arpResolve finds who answers ARP for a on d's link: the receiving
// device of the namespace that owns a; nil when nobody does.
func arpResolve(d *netDevice, a ipAddress) *netDevice {
	for _, r := range linkReceivers(d) {
		if r.ns != nil && r.ns.owns(a) {
			return r
		}
	}
	return nil
}

// forwards reports whether n forwards what comes in on d.
func (k *Kernel) forwards(n *NetNamespace, d *netDevice) bool {
	s := k.netSysctlsOf(n)
	if p := s.devForwarding[d.name]; p != nil {
		return *p != 0
	}
	return s.defaultForwarding != 0
}

// send4 follows a packet for dst from namespace n (with source src, or
// the route's choice when src is invalid) to the namespace that owns
// dst, through routers that forward, at most ttl hops. icmp says whether
// routers answer a packet they cannot pass on with an ICMP error (never
// for an ICMP error itself).
func (k *Kernel) send4(n *NetNamespace, src, dst ipAddress, ttl int, icmp bool) netHop {
	h := netHop{src: src}
	at := n
	for {
		r, ok := at.lookup4(dst)
		if !ok {
			if at == n {
				h.noRoute = true
				return h
			}
			return k.routerError(h, at, pingNetUnreachable, n, icmp)
		}
		if at == n && !src.IsValid() {
			src = at.sourceFor(r)
			h.src = src
		}
		next := dst
		if r.via.IsValid() {
			next = r.via
		}
		in := arpResolve(r.dev, next)
		if in == nil {
			if at == n {
				h.noNeighbour = true
				return h
			}
			return k.routerError(h, at, pingHostUnreachable, n, icmp)
		}
		h.ns, h.in = in.ns, in
		if in.ns.owns(dst) {
			return h
		}
		ttl--
		if ttl <= 0 || !k.forwards(in.ns, in) {
			// Not for it and not forwarded (ip_error stays silent
			// while forwarding is off): the packet is lost.
			h.ns, h.in = nil, nil
			return h
		}
		h.hops++
		at = in.ns
	}
}

// routerError is the ICMP error router at sends back towards the sender
// in namespace origin, which sees it only if it arrives there.
func (k *Kernel) routerError(h netHop, at *NetNamespace, what pingOutcome, origin *NetNamespace, icmp bool) netHop {
	h.ns, h.in = nil, nil
	if !icmp {
		return h
	}
	r, ok := at.lookup4(h.src)
	if !ok {
		return h
	}
	from := at.sourceFor(r)
	back := k.send4(at, from, h.src, 64, false)
	if back.ns == origin {
		h.unreach, h.from = what, from
	}
	return h
}
