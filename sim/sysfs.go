package sim

// sysfsNet gives a sysfs superblock the network devices of a network
// namespace: sysfs shows the namespace of whoever mounted it
// (sysfs(5): "/sys/class/net ... contains ... a symbolic link for each
// network device"). class/net links each device to
// devices/virtual/net/NAME, whose files give its ifindex, mtu, address and
// operstate, all owned by the initial namespace's root. net is read when the directories are, so the lab host's /sys
// can be made before its network namespace.
func (k *Kernel) sysfsNet(sb *superblock, net func() *NetNamespace) {
	sb.mkdirAll("class", 0o755).children["net"] = synthDir(func(*Task) map[string]*inode {
		m := map[string]*inode{}
		for _, d := range net().devices {
			name := d.name
			m[name] = synthLink(func(*Task) string { return "../../devices/virtual/net/" + name })
		}
		return m
	})
	sb.mkdirAll("devices/virtual", 0o755).children["net"] = synthDir(func(*Task) map[string]*inode {
		m := map[string]*inode{}
		for _, d := range net().devices {
			m[d.name] = sysfsNetDevice(d)
		}
		return m
	})
}

// sysfsNetDevice is devices/virtual/net/NAME.
func sysfsNetDevice(d *netDevice) *inode {
	return synthDir(func(*Task) map[string]*inode {
		m := map[string]*inode{
			"ifindex":   synthFile(0o444, func(*Task) string { return itoa(d.index) + "\n" }),
			"mtu":       synthFile(0o644, func(*Task) string { return itoa(d.mtu) + "\n" }),
			"address":   synthFile(0o444, func(*Task) string { return d.mac + "\n" }),
			"operstate": synthFile(0o444, func(*Task) string { return operstate(d) + "\n" }),
		}
		return m
	})
}

// operstate is RFC 2863's state as the kernel reports it: a device that is
// down is "down"; loopback and dummy devices, which have no carrier to
// watch, are "unknown" when up; a veth is "up" when its peer is up too and
// "lowerlayerdown" otherwise.
func operstate(d *netDevice) string {
	switch {
	case !d.up:
		return "down"
	case d.kind == "veth" && (d.peer == nil || !d.peer.up):
		return "lowerlayerdown"
	case d.kind == "veth":
		return "up"
	}
	return "unknown"
}
