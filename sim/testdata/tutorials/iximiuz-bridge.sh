# Source: "Container Networking Is Simple!", Ivan Velichko, iximiuz.com
# (2020), https://iximiuz.com/en/posts/container-networking-is-simple/,
# section "Interconnecting containers with virtual Ethernet switch
# (bridge)": two containers' veths as ports of br0.
# Adapted: the interactive nsenter shells read their commands from
# here-documents; random MAC addresses and the times ping measures are
# masked with sed; a pause before the pings stands for a person typing (a
# bridge port forwards once it has been up a moment).
mask() { sed 's/ether [0-9a-f:]*/ether MAC/; s/time[= ][0-9.]*/time=T/; s/= [0-9.]*\/[0-9.]*\/[0-9.]*\/[0-9.]* ms/= T ms/'; }
sudo ip netns add netns0
sudo ip link add veth0 type veth peer name ceth0
sudo ip link set veth0 up
sudo ip link set ceth0 netns netns0
sudo nsenter --net=/var/run/netns/netns0 <<'EOF'
ip link set lo up
ip link set ceth0 up
ip addr add 172.18.0.10/16 dev ceth0
EOF
sudo ip netns add netns1
sudo ip link add veth1 type veth peer name ceth1
sudo ip link set veth1 up
sudo ip link set ceth1 netns netns1
sudo nsenter --net=/var/run/netns/netns1 <<'EOF'
ip link set lo up
ip link set ceth1 up
ip addr add 172.18.0.20/16 dev ceth1
EOF
sudo ip link add br0 type bridge
sudo ip link set br0 up
sudo ip link set veth0 master br0
sudo ip link set veth1 master br0
ip link | mask
sleep 2
sudo nsenter --net=/var/run/netns/netns0 ping -c 2 172.18.0.20 | mask
sudo nsenter --net=/var/run/netns/netns1 ping -c 2 172.18.0.10 | mask
