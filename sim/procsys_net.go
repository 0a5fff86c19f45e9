package sim

import (
	"math"
	"sort"
	"strconv"
)

// netSysctlState is a network namespace's sysctls under /proc/sys/net.
// A new network namespace starts with the kernel's defaults.
type netSysctlState struct {
	// forwarding is net.ipv4.ip_forward, which is also conf/all/forwarding.
	forwarding, defaultForwarding int64
	devForwarding                 map[string]*int64
	// pingGroup is ping_group_range as kernel group IDs.
	pingGroup                         [2]KGID
	unprivPortStart, defaultTTL       int64
	localPorts                        []int64
	somaxconn                         int64
	ipv6Forwarding, ipv6DefForwarding int64
	ipv6Disable, ipv6DefDisable       int64
	// ipv6Dev holds each device's forwarding and disable_ipv6.
	ipv6Dev map[string]*[2]int64
}

// sysctls returns n's state, made with the defaults on first use. The lab
// host's namespace has the ping group range the live engine writes (every
// group of the lab); a new one has the kernel's empty range "1 0".
func (k *Kernel) netSysctlsOf(n *NetNamespace) *netSysctlState {
	if n.sysctl == nil {
		s := &netSysctlState{
			devForwarding:   map[string]*int64{},
			ipv6Dev:         map[string]*[2]int64{},
			pingGroup:       [2]KGID{1, 0},
			unprivPortStart: 1024, defaultTTL: 64, somaxconn: 4096,
			localPorts: []int64{32768, 60999},
		}
		if n == k.lab.net {
			s.pingGroup = [2]KGID{labIDBase, labIDBase + labIDCount - 1}
		}
		n.sysctl = s
	}
	return n.sysctl
}

// netSysctls is /proc/sys/net of network namespace n. The files are owned
// by the root of n's owner; CAP_NET_ADMIN there gives the owner's bits to
// everyone, anyone else gets the table's mode (net_ctl_permissions).
func (k *Kernel) netSysctls(n *NetNamespace) map[string]any {
	s := k.netSysctlsOf(n)
	owner := nsRoot(n.owner)
	perms := func(w *Task) uint32 {
		if w.creds.HasCapabilityIn(CapNetAdmin, n.owner) {
			return replicate(0o644 >> 6)
		}
		return 0o644
	}
	anyInt := func(p *int64) sysctl {
		return intSysctl(0o644, owner, perms, p, math.MinInt32, math.MaxInt32)
	}
	// Writing ip_forward (conf/all/forwarding) sets every device's and the
	// default's (inet_forward_change).
	forward := anyInt(&s.forwarding)
	set := forward.write
	forward.write = func(w *Task, data string) error {
		if err := set(w, data); err != nil {
			return err
		}
		s.defaultForwarding = s.forwarding
		for _, p := range s.devForwarding {
			*p = s.forwarding
		}
		return nil
	}
	ipv4Conf := map[string]any{
		"all":     func(*Task) map[string]any { return map[string]any{"forwarding": forward} },
		"default": func(*Task) map[string]any { return map[string]any{"forwarding": anyInt(&s.defaultForwarding)} },
	}
	var names []string
	for _, d := range n.devices {
		names = append(names, d.name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := s.devForwarding[name]
		if p == nil {
			// A new device starts with the default's value.
			v := s.defaultForwarding
			p = &v
			s.devForwarding[name] = p
		}
		f := anyInt(p)
		ipv4Conf[name] = func(*Task) map[string]any { return map[string]any{"forwarding": f} }
	}
	for name := range s.devForwarding {
		if _, ok := ipv4Conf[name]; !ok {
			delete(s.devForwarding, name)
			delete(s.ipv6Dev, name)
		}
	}
	pingGroup := sysctl{
		mode: 0o644, owner: owner, permissions: perms,
		// The range reads and is written as the opener's user namespace
		// sees it (ipv4_ping_group_range).
		read: func(v *Task) string {
			un := v.creds.UserNS
			return strconv.Itoa(int(un.MungedGID(s.pingGroup[0]))) + "\t" + strconv.Itoa(int(un.MungedGID(s.pingGroup[1]))) + "\n"
		},
		write: func(w *Task, data string) error {
			v, err := parseSysctlInts(data, 2, 0, math.MaxInt32)
			if err != nil || v == nil {
				return err
			}
			if len(v) < 2 {
				return EINVAL
			}
			lo, ok1 := w.creds.UserNS.MapGID(GID(v[0]))
			hi, ok2 := w.creds.UserNS.MapGID(GID(v[1]))
			if !ok1 || !ok2 {
				return EINVAL
			}
			s.pingGroup = [2]KGID{lo, hi}
			return nil
		},
	}
	ipv6Conf := func(fwd, disable *int64) func(*Task) map[string]any {
		return func(*Task) map[string]any {
			return map[string]any{"forwarding": anyInt(fwd), "disable_ipv6": anyInt(disable)}
		}
	}
	return map[string]any{
		"ipv4": func(*Task) map[string]any {
			return map[string]any{
				"ip_forward":                 forward,
				"conf":                       func(*Task) map[string]any { return ipv4Conf },
				"ping_group_range":           pingGroup,
				"ip_unprivileged_port_start": intSysctl(0o644, owner, perms, &s.unprivPortStart, 0, 65535),
				"ip_default_ttl":             intSysctl(0o644, owner, perms, &s.defaultTTL, 1, 255),
				// ipv4_local_port_range: 1 to 65535, the first below the second.
				"ip_local_port_range": vecSysctl(0o644, owner, perms, s.localPorts, 1, 65535, func(v []int64) bool { return v[0] < v[1] }),
			}
		},
		"ipv6": func(*Task) map[string]any {
			return map[string]any{"conf": func(*Task) map[string]any {
				m := map[string]any{
					"all":     ipv6Conf(&s.ipv6Forwarding, &s.ipv6Disable),
					"default": ipv6Conf(&s.ipv6DefForwarding, &s.ipv6DefDisable),
				}
				for _, name := range names {
					p := s.ipv6Dev[name]
					if p == nil {
						p = &[2]int64{s.ipv6DefForwarding, s.ipv6DefDisable}
						s.ipv6Dev[name] = p
					}
					m[name] = ipv6Conf(&p[0], &p[1])
				}
				return m
			}}
		},
		"core": func(*Task) map[string]any {
			return map[string]any{"somaxconn": intSysctl(0o644, owner, perms, &s.somaxconn, 0, math.MaxInt32)}
		},
	}
}
