# Container networking from scratch, after Ivan Velichko's "Container
# Networking Is Simple!" (https://iximiuz.com/en/posts/container-networking-is-simple/),
# adapted to run non-interactively (nsenter ... bash sessions become
# ip -n / nsenter ... sh -c). ip-netns(8): "ip netns add NAME - create a
# new named network namespace ... it creates a mount point ... under
# /run/netns"; veth(4): "packets transmitted on one device in the pair
# are immediately received on the other device". Random MAC addresses
# (and the IPv6 link-local addresses made from them) are masked.
mac() { sed 's/ether [0-9a-f:]*/ether MAC/; s/fe80::[0-9a-f:]*/fe80::LL/'; }
ip netns add netns0
ip link add veth0 type veth peer name ceth0
ip link set veth0 up
ip link set ceth0 netns netns0
nsenter --net=/run/netns/netns0 sh -c 'ip link set lo up; ip link set ceth0 up; ip addr add 172.18.0.10/16 dev ceth0; ip -4 addr'
ip -4 link | mac
ip netns add netns1
ip link add veth1 type veth peer name ceth1
ip link set veth1 up
ip link set ceth1 netns netns1
ip -n netns1 link set lo up
ip -n netns1 link set ceth1 up
ip -n netns1 addr add 172.18.0.20/16 dev ceth1
ip link add br0 type bridge
ip link set veth0 master br0
ip link set veth1 master br0
ip link set br0 up
ip addr add 172.18.0.1/16 dev br0
sleep 2
ip link | mac
ip addr show dev br0 | mac
ip route
ip -n netns0 route add default via 172.18.0.1
ip -n netns1 route add default via 172.18.0.1
ip netns exec netns0 ip route
ip netns exec netns1 ip route get 8.8.8.8
ip -n netns0 route get 172.18.0.20
ip netns list
ip netns exec netns0 ip -o link | mac
ip -n netns1 -o -4 addr
ip -n netns1 -br link | cut -c1-32
ip -br -4 addr
