# procps looks itself up, by the PID it has in its own PID namespace, in
# the /proc it reads: without --mount-proc that is the lab host's, where
# the same number is another process, or none. The lab's first process
# has PID 100, so here ps (PID 101 inside) finds unshare (101 outside).
unshare -Urpf sh -c 'i=1; while [ $i -lt 100 ]; do /bin/true; i=$((i+1)); done; ps -o comm= -p 1,101; ps -o comm= -p 1'
unshare -Urpf sh -c 'ps -o comm= -p 1; echo status=$?'
