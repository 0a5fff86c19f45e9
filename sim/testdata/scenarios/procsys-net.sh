# network_namespaces(7): "Network namespaces provide isolation of the system
# resources associated with networking: ... the /proc/sys/net directory".
# A new network namespace has the kernel's defaults (ip_forward 0); writing
# needs CAP_NET_ADMIN in the namespace's owner (net_ctl_permissions);
# ip_forward is conf/all/forwarding and sets every device's.
exec 2>&1
cd /proc/sys/net
ls ipv4/conf ipv6/conf
for f in ipv4/ip_forward ipv4/conf/all/forwarding ipv4/ping_group_range ipv4/ip_unprivileged_port_start ipv4/ip_local_port_range ipv4/ip_default_ttl ipv6/conf/all/forwarding ipv6/conf/all/disable_ipv6 core/somaxconn; do echo "$f $(cat $f)"; done
echo 1 > ipv4/ip_forward; echo st=$?; cat ipv4/ip_forward ipv4/conf/all/forwarding ipv4/conf/default/forwarding ipv4/conf/lo/forwarding
unshare -n sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/ping_group_range; echo 1 > /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ip_forward'
cat ipv4/ip_forward
echo 2 > ipv4/ip_forward; cat ipv4/ip_forward; echo 0 > ipv4/conf/all/forwarding; cat ipv4/ip_forward; echo x > ipv4/ip_forward; echo st=$?
echo "2000 1000" > ipv4/ip_local_port_range; echo st=$?; echo "2000 3000" > ipv4/ip_local_port_range; cat ipv4/ip_local_port_range
echo 0 > ipv4/ip_default_ttl; echo st=$?; echo 70000 > ipv4/ip_unprivileged_port_start; echo st=$?; echo 80 > ipv4/ip_unprivileged_port_start; cat ipv4/ip_unprivileged_port_start
unshare -Urn sh -c 'ls -l /proc/sys/net/ipv4/ip_forward | cut -c1-25; echo 1 > /proc/sys/net/ipv4/ip_forward; echo st=$?; cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/ping_group_range'
unshare -Ur sh -c 'ls -l /proc/sys/net/ipv4/ip_forward | cut -c1-25; echo 1 > /proc/sys/net/ipv4/ip_forward; echo st=$?; cat /proc/sys/net/ipv4/ping_group_range'
