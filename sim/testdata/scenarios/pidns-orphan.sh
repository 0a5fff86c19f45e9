# An orphan is reparented to the init of its PID namespace.
unshare -Urpf --mount-proc sh -c 'sh -c "sleep 5 & exit 0"; ps -o pid,ppid,comm'
