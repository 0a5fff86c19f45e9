# ifconfig(8) of net-tools: "If no arguments are given, ifconfig displays
# the status of the currently active interfaces ... If a single interface
# argument is given, it displays the status of the given interface only;
# if a single -a argument is given, it displays the status of all
# interfaces, even those that are down. Otherwise, it configures an
# interface." An address brings the device up with its classful netmask
# and broadcast address unless a prefix length or netmask says otherwise;
# errors name the ioctl that failed. MAC addresses are random: masked.
mask() { sed 's/ether [0-9a-f:]*/ether MAC/; s/fe80::[0-9a-f:]*/fe80::X/'; }
ip link add v0 type veth peer name v1
ifconfig | mask
ifconfig -a | mask
ifconfig -a -s
ifconfig v0 10.1.1.1/24 up; echo s=$?
ifconfig v0 | mask
ifconfig -s v0
ip addr show v0 | mask
ip route
ifconfig v1 10.2.0.1 netmask 255.255.0.0 broadcast 10.2.255.254 mtu 1400 up; echo s=$?
ifconfig v1 | grep -e flags -e 'inet '
ifconfig v0 down; echo s=$?
ip -4 addr show
ifconfig v1 0.0.0.0; echo s=$?
ip -4 addr show v1
ifconfig v0 10.1.1.5; ip -4 addr show v0
ifconfig v0 10.1.1.6/16; ip -4 addr show v0
ifconfig v0 inet 10.3.0.1/32; ip -4 addr show v0
ifconfig v0 localhost; ip -4 addr show v0
ifconfig v0 10.4.0.1 netmask 255.255.255.0 broadcast 10.4.0.7; ip -4 addr show v0
ip route
ifconfig nosuch; echo s=$?
ifconfig nosuch up; echo s=$?
ifconfig nosuch 10.0.0.1; echo s=$?
ifconfig v0 10.1.1.300; echo s=$?
ifconfig v0 netmask 255.0.255.0; echo s=$?
ifconfig v1 netmask 255.255.0.0; echo s=$?
ifconfig v1 broadcast 10.0.0.255; echo s=$?
ifconfig v0 mtu abc; echo s=$?
ifconfig v0 mtu 9000; ifconfig v0 | head -1
ifconfig v0 netmask 2>&1 | head -3; echo s=$?
ifconfig v0 1.2.3.4/x 2>&1 | head -1
ifconfig -x; echo s=$?
ifconfig -V 2>/dev/null; echo s=$?
unshare -U ifconfig lo down; echo s=$?
unshare -U ifconfig lo 10.0.0.1; echo s=$?
unshare -n ifconfig -a
