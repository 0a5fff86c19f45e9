# ip(8), ip-route(8), and the kernel's ip-sysctl.rst: "ip_forward -
# BOOLEAN: 0 - disabled (default), not 0 - enabled. Forward Packets
# between interfaces." Two namespaces on either side of a router
# namespace: a ping crosses it only once it forwards, and a router that
# cannot find the next hop answers "Destination Host Unreachable" itself,
# one with no route "Destination Net Unreachable".
mask() { sed 's/time[= ][0-9.]*/time=T/; s/= [0-9.]*\/[0-9.]*\/[0-9.]*\/[0-9.]* ms/= T ms/'; }
ip netns add a
ip netns add r
ip netns add b
ip link add va type veth peer name ra
ip link add vb type veth peer name rb
ip link set va netns a
ip link set vb netns b
ip link set ra netns r
ip link set rb netns r
ip -n a addr add 10.0.1.2/24 dev va
ip -n b addr add 10.0.2.2/24 dev vb
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb
for n in a b r; do ip -n $n link set lo up; done
ip -n a link set va up
ip -n b link set vb up
ip -n r link set ra up
ip -n r link set rb up
ip -n a route add default via 10.0.1.1
ip netns exec a ping -c 1 10.0.2.2 | mask
ip -n b route add default via 10.0.2.1
ip netns exec a ping -c 1 10.0.2.2 | mask
ip netns exec r sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
ip netns exec a ping -c 1 10.0.2.2 | mask
ip netns exec a ping -c 1 10.0.2.1 | mask
ip netns exec a ping -c 1 10.0.2.9 | mask
ip netns exec a ping -c 1 10.0.3.1 | mask
ip -n r route add 10.0.3.0/24 via 10.0.2.7
ip -n b route add 10.0.3.0/24 via 10.0.2.1 2>&1
ip netns exec a ping -c 1 10.0.3.1 | mask
ip -n r route add default via 10.0.1.2
ip netns exec r ping -c 1 10.0.4.1 | mask
