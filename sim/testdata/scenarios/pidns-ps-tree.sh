# Three levels of PID namespaces: each sees itself and what is below.
unshare -Urpf --mount-proc sh -c 'unshare -pf --mount-proc sh -c "unshare -pf --mount-proc sleep 5 & sleep 0.1; ps -e -o pid,ppid,comm; kill %1" & sleep 0.3; ps -e -o pid,ppid,comm; wait'
