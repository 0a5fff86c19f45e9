# namespaces(7): "/proc/PID/ns/pid_for_children ... refer[s] to the PID
# namespace ... for the children of this process"; the link reads only
# once the namespace has had its first process (ENOENT before), and still
# after that init died, while the process holds the namespace.
unshare -p sh -c 'readlink /proc/self/ns/pid_for_children; exec sleep 100' & sleep 0.3
readlink /proc/$!/ns/pid_for_children | sed 's/[0-9]//g'; echo status=$?
kill $!
unshare -p sh -c "true & wait; exec sleep 100" & sleep 0.5
readlink /proc/$!/ns/pid_for_children /proc/$!/ns/pid | sed 's/[0-9]//g'
test "$(readlink /proc/$!/ns/pid_for_children)" != "$(readlink /proc/$!/ns/pid)" && echo differ
kill $!
