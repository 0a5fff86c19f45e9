# cgroup_namespaces(7): paths are shown relative to the reader's cgroup
# namespace root.
unshare -Cf sh -c 'tail -1 /proc/self/cgroup; tail -1 /proc/1/cgroup'
