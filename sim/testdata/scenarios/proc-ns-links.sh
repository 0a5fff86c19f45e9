# ls -l /proc/PID/ns: one link per namespace, owned by the process's user;
# a user namespace of one's own changes what they read. (tr -s and the
# cuts leave out size and date, which the live and simulated runs need not
# share: the minute may turn between them.)
ls -l /proc/self/ns | tr -s ' ' | cut -d' ' -f1,2,3,4,9-
unshare -U ls -l /proc/self/ns/user /proc/self/ns/uts | tr -s ' ' | cut -d' ' -f3,4,9-
unshare -r ls -l /proc/self/cwd | tr -s ' ' | cut -d' ' -f1,3,9-
