# Source: LWN, Jake Edge, "Namespaces in operation, part 7: Network
# namespaces", https://lwn.net/Articles/580893/ — a veth pair between the
# initial namespace and netns1, one end moved into netns1, addresses
# configured on both ends and pinged across.
# Adapted: ifconfig (net-tools) is replaced by the ip(8) commands that do
# the same (ip addr add, ip link set up); ping is given -c 1 -q and only
# its packet counts are kept (round-trip times are machine noise).
ip netns add netns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns netns1
ip netns exec netns1 ip addr add 10.1.1.1/24 dev veth1
ip netns exec netns1 ip link set dev veth1 up
ip addr add 10.1.1.2/24 dev veth0
ip link set dev veth0 up
ping -c 1 -q 10.1.1.1 | grep transmitted
ip netns exec netns1 ping -c 1 -q 10.1.1.2 | grep transmitted
ip netns exec netns1 ip route
