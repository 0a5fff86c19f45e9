# ip-netns(8): ip netns delete "removes the ... mount point"; the
# namespace ends with the last thing holding it, and its devices with it:
# network_namespaces(7) "When a network namespace is freed ..., its
# physical network devices are moved back ...", and a veth(4) pair "is
# destroyed" with either end. identify, pids and exec name a process's
# namespace; errors as ip prints them.
mac() { sed 's/ether [0-9a-f:]*/ether MAC/'; }
ip netns add red
ip netns add blue
ip netns
ls -l /run/netns | cut -c1-10
ip link add veth-red type veth peer name veth-blue
ip link set veth-red netns red
ip link set veth-blue netns blue
ip netns list
ip -n red link | mac
ip -n blue link show veth-blue | mac
ip netns identify $$; echo status=$?
ip netns exec blue sh -c 'ip netns identify $$'
ip netns exec blue sh -c 'sleep 2 & sleep 0.2; ip netns pids blue | wc -l'
ip netns exec red findmnt -n -o TARGET,SOURCE,FSTYPE /sys
ip netns delete red; echo status=$?
sleep 0.5
ip -n blue link | mac
ip netns list
ip netns delete red; echo status=$?
ip netns add blue; echo status=$?
ip netns add; echo status=$?
ip netns exec nope true; echo status=$?
ip netns exec blue nosuch; echo status=$?
ip netns exec blue sh -c 'exit 3'; echo status=$?
ip -n nope link; echo status=$?
ip netns bogus; echo status=$?
ip link set dev nope up; echo status=$?
ip link add v0 type veth peer name v1
ip link set v0 netns nope; echo status=$?
ip link set v0 netns 99999; echo status=$?
ip link del v1; ip link show v0; echo status=$?
su student -c 'ip netns add green'; echo status=$?
