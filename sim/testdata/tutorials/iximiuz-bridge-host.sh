# Source: "Container Networking Is Simple!", Ivan Velichko, iximiuz.com
# (2020), https://iximiuz.com/en/posts/container-networking-is-simple/,
# section "Reaching out to the outside world (IP routing and
# masquerading)": the bridge gets the containers' gateway address.
# Adapted: the two containers are set up as in the post's bridge section;
# the nsenter shells read their commands from here-documents; the times
# ping measures are masked with sed; a pause before the pings stands for a
# person typing. Left out: the iptables MASQUERADE rule and the ping to
# 8.8.8.8 (the lab has no iptables and no way out).
mask() { sed 's/time[= ][0-9.]*/time=T/; s/= [0-9.]*\/[0-9.]*\/[0-9.]*\/[0-9.]* ms/= T ms/'; }
sudo ip netns add netns0
sudo ip link add veth0 type veth peer name ceth0
sudo ip link set veth0 up
sudo ip link set ceth0 netns netns0
sudo nsenter --net=/var/run/netns/netns0 sh -c 'ip link set lo up; ip link set ceth0 up; ip addr add 172.18.0.10/16 dev ceth0'
sudo ip netns add netns1
sudo ip link add veth1 type veth peer name ceth1
sudo ip link set veth1 up
sudo ip link set ceth1 netns netns1
sudo nsenter --net=/var/run/netns/netns1 sh -c 'ip link set lo up; ip link set ceth1 up; ip addr add 172.18.0.20/16 dev ceth1'
sudo ip link add br0 type bridge
sudo ip link set br0 up
sudo ip link set veth0 master br0
sudo ip link set veth1 master br0
sudo ip addr add 172.18.0.1/16 dev br0
sleep 2
sudo nsenter --net=/var/run/netns/netns0 <<'EOF' | mask
ping -c 2 172.18.0.1
ip route add default via 172.18.0.1
ip route
EOF
sudo nsenter --net=/var/run/netns/netns1 ip route add default via 172.18.0.1
ping -c 2 172.18.0.20 | mask
cat /proc/sys/net/ipv4/ip_forward
sudo bash -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
cat /proc/sys/net/ipv4/ip_forward
