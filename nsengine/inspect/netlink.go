//go:build linux

package inspect

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"syscall"
)

// linkState is what netlink tells about one interface beyond its
// /proc/PID/net/dev line.
type linkState struct {
	index int
	up    bool
	addrs []string // "127.0.0.1/8", "::1/128"
}

// readLinks asks the kernel, over netlink, for the interfaces and
// addresses of the network namespace the calling thread is in (a netlink
// socket belongs to its creator's namespace). The result is keyed by name.
// Each dump is read up to what is left of the snapshot's read budget: a
// lab decides how many interfaces and addresses it has.
func (sc *scan) readLinks() (map[string]*linkState, error) {
	b, err := sc.netlinkDump(syscall.RTM_GETLINK, "interfaces")
	if err != nil {
		return nil, fmt.Errorf("netlink RTM_GETLINK: %w", err)
	}
	links, err := parseLinks(b)
	if err != nil {
		return nil, err
	}
	b, err = sc.netlinkDump(syscall.RTM_GETADDR, "addresses")
	if err != nil {
		return nil, fmt.Errorf("netlink RTM_GETADDR: %w", err)
	}
	if err := parseAddrs(b, links); err != nil {
		return nil, err
	}
	return links, nil
}

// maxNetlinkDump bounds one netlink dump: about 1000 interfaces or 8000
// addresses.
const maxNetlinkDump = 1 << 20

// netlinkDump is syscall.NetlinkRIB (a dump request of type typ for every
// address family) that stops reading at the snapshot's read budget, or at
// maxNetlinkDump, noting the cut under what. The messages it returns are
// whole.
func (sc *scan) netlinkDump(typ int, what string) ([]byte, error) {
	limit := sc.sp.readLimit(maxNetlinkDump)
	if limit == 0 {
		sc.sp.readLeft(what)
		return nil, nil
	}
	s, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_RAW|syscall.SOCK_CLOEXEC, syscall.NETLINK_ROUTE)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(s)
	if err := syscall.Bind(s, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return nil, err
	}
	// struct nlmsghdr, then struct rtgenmsg (one byte of family), padded.
	const seq = 1
	req := make([]byte, syscall.NLMSG_HDRLEN+4)
	binary.NativeEndian.PutUint32(req[0:4], uint32(syscall.NLMSG_HDRLEN+1))
	binary.NativeEndian.PutUint16(req[4:6], uint16(typ))
	binary.NativeEndian.PutUint16(req[6:8], syscall.NLM_F_DUMP|syscall.NLM_F_REQUEST)
	binary.NativeEndian.PutUint32(req[8:12], seq)
	req[syscall.NLMSG_HDRLEN] = syscall.AF_UNSPEC
	if err := syscall.Sendto(s, req, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return nil, err
	}
	var out []byte
	// A page holds the largest message a dump sends (NLMSG_GOODSIZE), as
	// syscall.NetlinkRIB relies on too; one buffer serves every dump.
	if sc.nlBuf == nil {
		sc.nlBuf = make([]byte, syscall.Getpagesize())
	}
	buf := sc.nlBuf
	for {
		n, _, err := syscall.Recvfrom(s, buf, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		sc.sp.charged(n)
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return nil, err
		}
		done := false
		for _, m := range msgs {
			switch {
			case m.Header.Seq != seq:
				continue
			case m.Header.Type == syscall.NLMSG_DONE:
				done = true
			case m.Header.Type == syscall.NLMSG_ERROR:
				errno := syscall.EINVAL
				if len(m.Data) >= 4 {
					errno = syscall.Errno(-int32(binary.NativeEndian.Uint32(m.Data[:4])))
				}
				return nil, fmt.Errorf("netlink error: %w", errno)
			}
		}
		if len(out)+n > limit {
			// Stop here: closing the socket drops the rest of the dump.
			sc.sp.note(sc.readCut(what, maxNetlinkDump, limit))
			return out, nil
		}
		out = append(out, buf[:n]...)
		if done {
			return out, nil
		}
	}
}

// parseLinks reads RTM_NEWLINK messages: struct ifinfomsg (family, pad,
// type, index, flags, change) and the IFLA_IFNAME attribute.
func parseLinks(b []byte) (map[string]*linkState, error) {
	msgs, err := syscall.ParseNetlinkMessage(b)
	if err != nil {
		return nil, fmt.Errorf("netlink links: %w", err)
	}
	out := map[string]*linkState{}
	for i := range msgs {
		m := &msgs[i]
		if m.Header.Type != syscall.RTM_NEWLINK || len(m.Data) < syscall.SizeofIfInfomsg {
			continue
		}
		index := int(int32(binary.NativeEndian.Uint32(m.Data[4:8])))
		flags := binary.NativeEndian.Uint32(m.Data[8:12])
		attrs, err := syscall.ParseNetlinkRouteAttr(m)
		if err != nil {
			return nil, fmt.Errorf("netlink link %d: %w", index, err)
		}
		for _, a := range attrs {
			if a.Attr.Type == syscall.IFLA_IFNAME {
				out[cString(a.Value)] = &linkState{index: index, up: flags&syscall.IFF_UP != 0}
			}
		}
	}
	return out, nil
}

// parseAddrs reads RTM_NEWADDR messages: struct ifaddrmsg (family,
// prefixlen, flags, scope, index) and IFA_LOCAL or IFA_ADDRESS (for a
// point-to-point IPv4 link IFA_ADDRESS is the peer, so IFA_LOCAL wins).
func parseAddrs(b []byte, links map[string]*linkState) error {
	msgs, err := syscall.ParseNetlinkMessage(b)
	if err != nil {
		return fmt.Errorf("netlink addresses: %w", err)
	}
	byIndex := map[int]*linkState{}
	for _, l := range links {
		byIndex[l.index] = l
	}
	for i := range msgs {
		m := &msgs[i]
		if m.Header.Type != syscall.RTM_NEWADDR || len(m.Data) < syscall.SizeofIfAddrmsg {
			continue
		}
		prefix := int(m.Data[1])
		index := int(binary.NativeEndian.Uint32(m.Data[4:8]))
		attrs, err := syscall.ParseNetlinkRouteAttr(m)
		if err != nil {
			return fmt.Errorf("netlink address on link %d: %w", index, err)
		}
		var addr []byte
		for _, a := range attrs {
			switch a.Attr.Type {
			case syscall.IFA_LOCAL:
				addr = a.Value
			case syscall.IFA_ADDRESS:
				if addr == nil {
					addr = a.Value
				}
			}
		}
		ip, ok := netip.AddrFromSlice(addr)
		l := byIndex[index]
		if !ok || l == nil {
			continue
		}
		l.addrs = append(l.addrs, netip.PrefixFrom(ip, prefix).String())
	}
	return nil
}

func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
