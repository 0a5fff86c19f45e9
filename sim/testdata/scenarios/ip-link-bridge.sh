# ip-link(8): "ip link add ... type bridge", "master DEVICE - set master
# device of the device (enslave device)", "nomaster"; a bridge has a
# carrier while one of its ports forwards; "ip link delete" of a veth
# removes its peer too; an unnamed veth peer gets the kernel's name
# (veth0). The lab's kernel has no dummy module. Random MAC addresses are
# masked.
mac() { sed 's/ether [0-9a-f:]*/ether MAC/; s/fe80::[0-9a-f:]*/fe80::LL/'; }
ip link add br0 type bridge; echo status=$?
ip link add d0 type dummy; echo status=$?
ip link set br0 up
ip link show br0 | mac
ip link add v0 type veth peer name v1
ip link set v0 master br0; echo status=$?
ip link set v0 up; ip link set v1 up
sleep 2
ip link | mac
ip -br link | sed 's/[0-9a-f][0-9a-f]:[0-9a-f:]*/MAC/'
ip addr add 10.0.0.1/24 brd + dev br0
ip -4 addr show dev br0
ip -6 addr show dev v1 | mac
ip link set v0 nomaster
ip link show br0 | mac
ip link set v0 master v1; echo status=$?
ip link set v0 master nope; echo status=$?
ip link del br0
ip link add v2 type veth
ip link | mac
ip link del v2
ip link del lo; echo status=$?
ip link del nope; echo status=$?
ip -o link show dev v0 | mac
ip link show nope; echo status=$?
ip link set v0 name w0; echo status=$?
ip link set v0 down; ip link set v0 name w0; ip -br link show w0 | cut -c1-32
ip link set dev w0 mtu 1400; ip link show w0 | mac
ip -z link; echo status=$?
