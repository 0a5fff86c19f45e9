# cgroup_namespaces(7): unshare -C roots the new cgroup namespace at the
# caller's cgroups; /proc/self/cgroup then reads "/", also from a child.
unshare -C sh -c 'cut -d: -f3 /proc/self/cgroup | sort -u; sh -c "cut -d: -f3 /proc/self/cgroup | sort -u"'
readlink /proc/self/ns/cgroup | cut -c1-7
