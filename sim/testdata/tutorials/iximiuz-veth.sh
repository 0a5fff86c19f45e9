# Source: "Container Networking Is Simple!", Ivan Velichko, iximiuz.com
# (2020), https://iximiuz.com/en/posts/container-networking-is-simple/,
# section "Connecting containers to host (veth)".
# Adapted: the interactive `sudo nsenter --net=/var/run/netns/netns0` shell
# reads its commands from a here-document; random MAC addresses and the
# times ping measures are masked with sed; a second's pause before the
# pings stands for a person typing (the kernel brings a veth's carrier up
# after a delay).
mask() { sed 's/ether [0-9a-f:]*/ether MAC/; s/time[= ][0-9.]*/time=T/; s/= [0-9.]*\/[0-9.]*\/[0-9.]*\/[0-9.]* ms/= T ms/'; }
sudo ip netns add netns0
sudo ip link add veth0 type veth peer name ceth0
ip link | mask
sudo ip link set ceth0 netns netns0
ip link | mask
sudo ip link set veth0 up
sudo ip addr add 172.18.0.11/16 dev veth0
sudo nsenter --net=/var/run/netns/netns0 <<'EOF' | mask
ip link set lo up
ip link set ceth0 up
ip addr add 172.18.0.10/16 dev ceth0
ip link
sleep 1
ping -c 2 172.18.0.11
EOF
ping -c 2 172.18.0.10 | mask
sudo nsenter --net=/var/run/netns/netns0 ip route
ip route
