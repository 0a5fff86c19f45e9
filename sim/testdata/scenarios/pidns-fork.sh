# pid_namespaces(7): the first process in a new PID namespace is its init,
# PID 1; its parent is outside (PPID 0).
unshare -Urpf --mount-proc sh -c 'echo $$ $PPID; ps -o pid,ppid,comm; sleep 5 & sleep 0.5; ps -o pid,stat,comm; kill $!; wait'
