# sysfs(5): "/sys/class/net: Each of the entries in this directory is a
# symbolic link representing one of the real or virtual networking devices
# that are visible in the network namespace of the process that is
# accessing the directory"; a sysfs mount shows the network namespace of
# its mounter, and mounting one needs CAP_SYS_ADMIN over that namespace
# (network_namespaces(7)): refused in a user namespace without a network
# namespace of its own.
exec 2>&1
ls /sys; ls /sys/class/net; ls -l /sys/class/net | cut -d" " -f1-4,9-
cat /sys/class/net/lo/mtu /sys/class/net/lo/address /sys/class/net/lo/operstate /sys/class/net/lo/ifindex
mkdir -p /tmp/s
unshare -Urm mount -t sysfs sysfs /tmp/s; echo st=$?
unshare -Urmn sh -c 'mount -t sysfs sysfs /sys; ls /sys; ls /sys/class/net; cat /sys/class/net/lo/operstate; ip link set lo up; cat /sys/class/net/lo/operstate; ls -l /sys/devices/virtual/net/lo/mtu | cut -d" " -f1-4'
unshare -n sh -c 'ls /sys/class/net; mount -t sysfs x /tmp/s; ls /tmp/s/class/net; ls -ld /tmp/s | cut -d" " -f1-4'
ip link add v0 type veth peer name v1; ls /sys/class/net; cat /sys/class/net/v0/operstate; ip link set v0 up; cat /sys/class/net/v0/operstate; ip link set v1 up; cat /sys/class/net/v0/operstate /sys/class/net/v1/ifindex
