# Source: cgroup_namespaces(7) (man-pages 6.03), the shell session with the
# freezer hierarchy.
# Adapted: the lab has no /sys/fs/cgroup, so the freezer hierarchy (cgroup
# v1) is mounted on /tmp/cg/freezer; the lab's root may not create cgroups
# in it (mkdir fails as the kernel refuses it), so the shell stays in its
# cgroup and "sleep 10000 &" is its sibling in the same cgroup. The second
# shell (sh2) is unshare -Cm sh -c with the page's commands; the PIDs the
# page types are $$ and $! (not printed). The mountinfo fields that are
# machine numbers (mount IDs, device) are cut out.
mkdir -p /tmp/cg/freezer
mount -t cgroup -o freezer freezer /tmp/cg/freezer
mkdir -p /tmp/cg/freezer/sub2
sleep 10000 &     # Create a process that lives for a while
cat /proc/self/cgroup | grep freezer
unshare -Cm sh -c '
cat /proc/self/cgroup | grep freezer
cat /proc/1/cgroup | grep freezer
cat /proc/'$!'/cgroup | grep freezer
cat /proc/self/mountinfo | grep freezer | cut -d" " -f4-6
mount --make-rslave /     # Do not propagate mount events
umount /tmp/cg/freezer
mount -t cgroup -o freezer freezer /tmp/cg/freezer
cat /proc/self/mountinfo | grep freezer | cut -d" " -f4-6'
kill $!
