# Source: "Container Networking Is Simple!", Ivan Velichko, iximiuz.com
# (2020), https://iximiuz.com/en/posts/container-networking-is-simple/,
# section "Network namespace isolation".
# Adapted: the post's inspect-net-stack.sh is written here as the post
# shows it, without its `iptables --list-rules` (the lab has no iptables);
# the interactive `sudo nsenter --net=/var/run/netns/netns0 bash` reads the
# commands typed into it from a here-document.
cat > inspect-net-stack.sh <<'EOF'
#!/usr/bin/env bash

echo "> Network devices"
ip link

echo -e "\n> Route table"
ip route
EOF
chmod +x inspect-net-stack.sh
./inspect-net-stack.sh
sudo ip netns add netns0
ip netns
sudo nsenter --net=/var/run/netns/netns0 bash <<'EOF'
./inspect-net-stack.sh
EOF
