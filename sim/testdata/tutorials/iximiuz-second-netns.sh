# Source: "Container Networking Is Simple!", Ivan Velichko, iximiuz.com
# (2020), https://iximiuz.com/en/posts/container-networking-is-simple/,
# sections "Connecting containers to host (veth)" and "Interconnecting
# containers": a second container on the same /16 as the first, whose
# traffic the host then routes to the wrong veth.
# Adapted: the interactive nsenter shells read their commands from
# here-documents; the times ping measures are masked with sed; a second's
# pause before the pings stands for a person typing.
mask() { sed 's/time[= ][0-9.]*/time=T/; s/= [0-9.]*\/[0-9.]*\/[0-9.]*\/[0-9.]* ms/= T ms/'; }
sudo ip netns add netns0
sudo ip link add veth0 type veth peer name ceth0
sudo ip link set ceth0 netns netns0
sudo ip link set veth0 up
sudo ip addr add 172.18.0.11/16 dev veth0
sudo nsenter --net=/var/run/netns/netns0 <<'EOF'
ip link set lo up
ip link set ceth0 up
ip addr add 172.18.0.10/16 dev ceth0
EOF
sudo ip netns add netns1
sudo ip link add veth1 type veth peer name ceth1
sudo ip link set ceth1 netns netns1
sudo ip link set veth1 up
sudo ip addr add 172.18.0.21/16 dev veth1
sudo nsenter --net=/var/run/netns/netns1 <<'EOF' | mask
ip link set lo up
ip link set ceth1 up
ip addr add 172.18.0.20/16 dev ceth1
sleep 1
ping -c 2 172.18.0.21
EOF
ip route
