# network_namespaces(7): a new network namespace has only a loopback
# device, and it is down.
ip link
unshare -n ip link
unshare -n sh -c 'ip link set lo up; ip addr'
unshare -rn sh -c 'ip -br link; cat /proc/net/dev'
unshare -r ip link set lo down; echo status=$?
