# pid_namespaces(7): /proc/sys/kernel/ns_last_pid "displays the last PID
# that was allocated in this PID namespace".
unshare -Urpf --mount-proc sh -c 'cat /proc/sys/kernel/ns_last_pid; true; cat /proc/sys/kernel/ns_last_pid; sleep 0.1 & wait; cat /proc/sys/kernel/ns_last_pid'
