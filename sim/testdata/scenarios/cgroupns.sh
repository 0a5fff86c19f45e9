# cgroup_namespaces(7): a new cgroup namespace is rooted at the caller's
# cgroups, so /proc/self/cgroup reads "/".
cat /proc/self/cgroup
unshare -C cat /proc/self/cgroup
