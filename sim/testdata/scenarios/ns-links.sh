# /proc/PID/ns: the same namespace reads the same; a new one differs.
a=$(readlink /proc/self/ns/uts); b=$(readlink /proc/self/ns/uts)
[ "$a" = "$b" ] && echo same
c=$(unshare -u readlink /proc/self/ns/uts)
[ "$a" != "$c" ] && echo different
ls /proc/self/ns
unshare -p readlink /proc/self/ns/pid /proc/self/ns/pid_for_children
