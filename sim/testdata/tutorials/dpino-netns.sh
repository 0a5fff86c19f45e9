# Source: "Network namespaces", Diego Pino García, Igalia blogs
# (2016-04-10), https://blogs.igalia.com/dpino/2016/04/10/network-namespaces/:
# a namespace ns1 joined to the host by the veth pair v-eth1/v-peer1, with
# a default route through the host.
# Adapted: the iptables rules (the lab has no iptables) and the ping to
# 8.8.8.8 (no way out of the lab) are left out; in the namespace's shell
# (`ip netns exec ns1 bash`, commands from a here-document) the host's end
# is pinged instead, its times masked with sed; a second's pause before
# the ping stands for a person typing, and so do two seconds before the
# namespace's shell (at a person's pace the link-local address is no
# longer tentative when `ip addr show` runs; on a loaded machine the
# commands before it took longer or shorter than DAD's second).
ip netns add ns1
ip link add v-eth1 type veth peer name v-peer1
ip link set v-peer1 netns ns1
ip addr add 10.200.1.1/24 dev v-eth1
ip link set v-eth1 up
ip netns exec ns1 ip addr add 10.200.1.2/24 dev v-peer1
ip netns exec ns1 ip link set v-peer1 up
ip netns exec ns1 ip link set lo up
ip netns exec ns1 ip route add default via 10.200.1.1
echo 1 > /proc/sys/net/ipv4/ip_forward
sleep 2
ip netns exec ns1 bash <<'EOF' | sed 's/ether [0-9a-f:]*/ether MAC/; s/fe80::[0-9a-f:]*/fe80::X/; s/time[= ][0-9.]*/time=T/; s/= [0-9.]*\/[0-9.]*\/[0-9.]*\/[0-9.]* ms/= T ms/'
ip addr show
ip route
sleep 1
ping -c 2 10.200.1.1
EOF
