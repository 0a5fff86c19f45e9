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
func readLinks() (map[string]*linkState, error) {
	b, err := syscall.NetlinkRIB(syscall.RTM_GETLINK, syscall.AF_UNSPEC)
	if err != nil {
		return nil, fmt.Errorf("netlink RTM_GETLINK: %w", err)
	}
	links, err := parseLinks(b)
	if err != nil {
		return nil, err
	}
	b, err = syscall.NetlinkRIB(syscall.RTM_GETADDR, syscall.AF_UNSPEC)
	if err != nil {
		return nil, fmt.Errorf("netlink RTM_GETADDR: %w", err)
	}
	if err := parseAddrs(b, links); err != nil {
		return nil, err
	}
	return links, nil
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
