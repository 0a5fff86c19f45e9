# ip-address(8), and the kernel's addrconf: an interface that comes up
# with a carrier gets its IPv6 link-local address, tentative until
# duplicate address detection is done; losing the carrier keeps the
# address (its fe80::/64 route shows linkdown), going down drops it.
# The address follows the random MAC: masked.
ip link add v0 type veth peer name v1
ip link set v0 up; ip link set v1 up; sleep 2
ip -6 addr show v1 | sed 's/fe80::[0-9a-f:]*/fe80::X/'
ip link set v0 down
ip -6 addr show v1 | sed 's/fe80::[0-9a-f:]*/fe80::X/'
ip -6 route
sleep 1.2
ip -6 addr show v1 | sed 's/fe80::[0-9a-f:]*/fe80::X/'
ip link set v0 up
ip -6 addr show v1 | sed 's/fe80::[0-9a-f:]*/fe80::X/'
ip -6 route
ip link set v1 down
ip -6 addr show v1 | sed 's/fe80::[0-9a-f:]*/fe80::X/'
ip link set v1 up
ip -6 addr show v1 | sed 's/fe80::[0-9a-f:]*/fe80::X/'
