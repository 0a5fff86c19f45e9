# Source: LWN, Jake Edge, "Namespaces in operation, part 7: Network
# namespaces", https://lwn.net/Articles/580893/ — deleting the namespace;
# its veth end (and so the pair) goes with it.
# Adapted: the veth pair of the article's session is made first; the
# remaining links are listed with ip -o link (one line each) and the
# names kept with awk (MAC addresses are random).
ip netns add netns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns netns1
ip netns delete netns1
ip netns list
ip -o link | awk '{print $2}'
