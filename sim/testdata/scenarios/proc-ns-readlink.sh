# namespaces(7): /proc/PID/ns/* links read TYPE:[INODE]; each of the
# eight types, and the *_for_children links.
ls /proc/self/ns
for t in cgroup ipc mnt net pid time user uts; do readlink /proc/self/ns/$t | cut -d: -f1; done
unshare -pT sh -c 'for t in pid pid_for_children time time_for_children; do readlink /proc/self/ns/$t; done'
