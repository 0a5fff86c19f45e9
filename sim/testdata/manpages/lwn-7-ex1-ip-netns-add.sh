# Source: LWN, Jake Edge, "Namespaces in operation, part 7: Network
# namespaces", https://lwn.net/Articles/580893/ — creating a named network
# namespace and looking inside it.
# Adapted: the "#" prompts dropped; nothing else.
ip netns add netns1
ls /var/run/netns
ip netns exec netns1 ip link list
ip netns exec netns1 ping 127.0.0.1
echo status=$?
