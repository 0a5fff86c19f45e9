# ls -l /proc/PID/ns: one link per namespace, owned by the process's user;
# a user namespace of one's own changes what they read.
ls -l /proc/self/ns | cut -d' ' -f1,2,3,4,9-
unshare -U ls -l /proc/self/ns/user /proc/self/ns/uts | cut -d' ' -f3,4,9-
unshare -r ls -l /proc/self/cwd | cut -d' ' -f1,3,9-
