# unshare -p without --fork: the caller stays where it is; its first child
# becomes init of the new namespace, and once that init has exited "a
# subsequent fork(2) into this PID namespace fail[s] with the error ENOMEM".
unshare -Ur unshare -p sh -c 'readlink /proc/self/ns/pid_for_children >/dev/null; echo first; echo second'
echo status=$?
unshare -Ur unshare -p sh -c 'true; /bin/true; echo after'
echo status=$?
