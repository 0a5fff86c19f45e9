# Source: "Introducing Linux Network Namespaces", Scott Lowe,
# blog.scottlowe.org (2013-09-04),
# https://blog.scottlowe.org/2013/09/04/introducing-linux-network-namespaces/,
# sections "Creating and listing network namespaces", "Assigning
# interfaces to network namespaces", "Configuring interfaces in network
# namespaces".
# Adapted: random MAC addresses are masked with sed; `ip netns delete
# blue`, which the post shows right after creating the namespace, runs
# last so that the rest of the session has its namespace (and shows veth0
# going with its peer, after a second's pause: the kernel tears a deleted
# namespace's devices down in the background, and a listing right after
# the delete can still show veth0). The Open vSwitch part is left out.
mask() { sed 's/ether [0-9a-f:]*/ether MAC/'; }
ip netns add blue
ip netns list
ip link add veth0 type veth peer name veth1
ip link list | mask
ip link set veth1 netns blue
ip link list | mask
ip netns exec blue ip link list | mask
ip netns exec blue ifconfig veth1 10.1.1.1/24 up
ip netns exec blue ip addr list veth1 | mask | sed 's/fe80::[0-9a-f:]*/fe80::X/'
ip netns delete blue
ip netns list
sleep 1
ip link list | mask
