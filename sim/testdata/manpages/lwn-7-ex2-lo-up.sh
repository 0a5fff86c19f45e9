# Source: LWN, Jake Edge, "Namespaces in operation, part 7: Network
# namespaces", https://lwn.net/Articles/580893/ — bringing up the loopback
# device of the new namespace so that it can be pinged.
# Adapted: ping is given -c 1 (it would run until interrupted) and -q;
# its round-trip times are machine noise, so only the summary line with
# the packet counts is kept (grep).
ip netns add netns1
ip netns exec netns1 ip link set dev lo up
ip netns exec netns1 ping -c 1 -q 127.0.0.1 | grep transmitted
