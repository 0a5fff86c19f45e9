# cgroup_namespaces(7): mounting a cgroup file system needs CAP_SYS_ADMIN
# in the user namespace owning the caller's cgroup namespace ("unshare -Cm"
# first, as the page's example does before "mount -t cgroup -o freezer
# freezer /sys/fs/cgroup/freezer"); the mount's root is the namespace's
# root cgroup. Outside the initial namespace a v1 mount must name one
# existing hierarchy of the machine: a new one is EPERM, bad options
# EINVAL. cgroup.procs lists the PIDs there as the reader's namespace
# sees them.
exec 2>&1
mkdir -p /tmp/cg /tmp/cg2
unshare -Urm sh -c 'mount -t cgroup -o none,name=systemd cgroup /tmp/cg; echo st=$?; mount -t cgroup2 none /tmp/cg2; echo st=$?'
unshare -UrmC sh -c 'mount -t cgroup -o none,name=systemd cgroup /tmp/cg; ls -la /tmp/cg | cut -d" " -f1-4; ls /tmp/cg; findmnt -n -o SOURCE,FSTYPE,OPTIONS /tmp/cg; umount /tmp/cg
for o in "cpu,cpuacct" net_cls "name=foo" "none,name=foo" "memory,pids" "" "none" "none,freezer" "name=systemd" freezer devices; do mount -t cgroup -o "$o" cgroup /tmp/cg; echo "$o st=$?"; findmnt -n -o OPTIONS /tmp/cg; ls /tmp/cg | wc -l; umount /tmp/cg 2>/dev/null; done
mount -t cgroup -o devices cgroup /tmp/cg; cat /tmp/cg/devices.list /tmp/cg/cgroup.clone_children /tmp/cg/release_agent /tmp/cg/notify_on_release /tmp/cg/cgroup.sane_behavior; cat /tmp/cg/devices.allow; ls -l /tmp/cg/devices.allow | cut -d" " -f1-4; mkdir /tmp/cg/sub; echo st=$?
mount -t cgroup2 none /tmp/cg2; findmnt -n -o FSTYPE,OPTIONS /tmp/cg2'
unshare -UrmpfC --mount-proc sh -c 'mount -t cgroup -o freezer cgroup /tmp/cg; cat /tmp/cg/cgroup.procs; sleep 1 & sleep 0.1; cat /tmp/cg/tasks'
