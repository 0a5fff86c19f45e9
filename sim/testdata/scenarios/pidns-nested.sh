# NSpid lists a process's PID in each PID namespace from the proc mount's
# down to its own.
unshare -Urpf --mount-proc sh -c 'unshare -pf --mount-proc sh -c "grep NSpid /proc/self/status; ps -o pid,comm"; grep NSpid /proc/self/status'
