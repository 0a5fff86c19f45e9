package sim

import (
	"errors"
	"strconv"
	"strings"
)

// ipAddress and ipPrefix are the IP addresses and prefixes ip works with: a
// small stand-in for net/netip, which would cost the browser's download
// some 60 KB (gzipped) for what the simulator needs. IPv4 addresses are
// numbers; IPv6 ones are kept as text (the simulator routes only IPv4).
type ipAddress struct {
	valid, v6 bool
	v4        uint32
	text      string // IPv6
}

type ipPrefix struct {
	addr ipAddress
	bits int
}

var errBadIP = errors.New("not an IP address")

// parseAddr reads a dotted IPv4 address or an IPv6 address.
func parseAddr(s string) (ipAddress, error) {
	if strings.Contains(s, ":") {
		if strings.Trim(s, "0123456789abcdefABCDEF:.") != "" || strings.Count(s, "::") > 1 || len(s) < 2 {
			return ipAddress{}, errBadIP
		}
		return ipAddress{valid: true, v6: true, text: strings.ToLower(s)}, nil
	}
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return ipAddress{}, errBadIP
	}
	var v uint32
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 || len(p) > 1 && p[0] == '0' {
			return ipAddress{}, errBadIP
		}
		v = v<<8 | uint32(n)
	}
	return ipAddress{valid: true, v4: v}, nil
}

// parsePrefix reads ADDR/BITS.
func parsePrefix(s string) (ipPrefix, error) {
	a, b, ok := strings.Cut(s, "/")
	if !ok {
		return ipPrefix{}, errBadIP
	}
	addr, err := parseAddr(a)
	if err != nil {
		return ipPrefix{}, err
	}
	bits, err := strconv.Atoi(b)
	if err != nil || bits < 0 || bits > addr.BitLen() || len(b) > 1 && b[0] == '0' {
		return ipPrefix{}, errBadIP
	}
	return ipPrefix{addr, bits}, nil
}

func addrFrom4(v uint32) ipAddress { return ipAddress{valid: true, v4: v} }

func prefixFrom(a ipAddress, bits int) ipPrefix { return ipPrefix{a, bits} }

func (a ipAddress) IsValid() bool { return a.valid }
func (a ipAddress) Is4() bool     { return a.valid && !a.v6 }
func (a ipAddress) Is6() bool     { return a.v6 }

func (a ipAddress) BitLen() int {
	if a.v6 {
		return 128
	}
	return 32
}

func (a ipAddress) IsLoopback() bool {
	if a.v6 {
		return a.text == "::1"
	}
	return a.v4>>24 == 127
}

// Compare orders IPv4 addresses by number, IPv6 ones after them.
func (a ipAddress) Compare(b ipAddress) int {
	switch {
	case a.v6 != b.v6:
		if a.v6 {
			return 1
		}
		return -1
	case a.v6:
		return strings.Compare(a.text, b.text)
	case a.v4 < b.v4:
		return -1
	case a.v4 > b.v4:
		return 1
	}
	return 0
}

func (a ipAddress) String() string {
	if a.v6 {
		return a.text
	}
	return strconv.Itoa(int(a.v4>>24)) + "." + strconv.Itoa(int(a.v4>>16&255)) + "." + strconv.Itoa(int(a.v4>>8&255)) + "." + strconv.Itoa(int(a.v4&255))
}

func (p ipPrefix) Addr() ipAddress { return p.addr }
func (p ipPrefix) Bits() int       { return p.bits }

// mask4 is the netmask of an IPv4 prefix length.
func mask4(bits int) uint32 {
	if bits <= 0 {
		return 0
	}
	return ^uint32(0) << (32 - bits)
}

// Masked is the prefix with its host bits cleared (IPv6: unchanged).
func (p ipPrefix) Masked() ipPrefix {
	if p.addr.v6 {
		return p
	}
	return ipPrefix{addrFrom4(p.addr.v4 & mask4(p.bits)), p.bits}
}

// Contains reports whether IPv4 address a is in the prefix.
func (p ipPrefix) Contains(a ipAddress) bool {
	if p.addr.v6 || a.v6 || !a.valid {
		return false
	}
	return a.v4&mask4(p.bits) == p.addr.v4&mask4(p.bits)
}

func (p ipPrefix) String() string { return p.addr.String() + "/" + strconv.Itoa(p.bits) }
