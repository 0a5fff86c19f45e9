# A veth pair joins two network namespaces: one end moved into another
# namespace shows as NAME@ifINDEX with the peer's link-netnsid. (The
# random MAC addresses are masked.)
unshare -n sleep 8 & sleep 0.2
ip link add v0 type veth peer name v1
ip link set v1 netns $!
ip link | sed 's/ether [0-9a-f:]*/ether MAC/'
nsenter -t $! -n sh -c 'ip link set v1 up; ip addr add 10.1.1.2/24 dev v1; ip link show v1; ip -br addr' | sed 's/ether [0-9a-f:]*/ether MAC/'
ip link set v0 up; sleep 1.5  # operstate follows after the kernel's linkwatch delay
ip -br link | cut -c1-32
kill $!
