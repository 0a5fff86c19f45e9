# Three levels of PID namespaces: each sees itself and what is below. The
# middle one's ps goes to a file, shown at the end, so that the two lists
# come out in one order however slowly the machine runs; each ps runs a
# good while after the processes it lists have started, and the outer one
# while the middle one is still there.
unshare -Urpf --mount-proc sh -c 'unshare -pf --mount-proc sh -c "unshare -pf --mount-proc sleep 5 & sleep 0.5; ps -e -o pid,ppid,comm >/tmp/b; sleep 1.5; kill %1" & sleep 1; ps -e -o pid,ppid,comm; wait; cat /tmp/b'
