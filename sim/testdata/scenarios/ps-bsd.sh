# ps(1): "ax ... all processes"; BSD options have no dash, h drops the
# header, a bare number is a PID list, --ppid selects by parent.
unshare -pf --mount-proc sh -c '
sleep 100 & sleep 0.1
ps ax; echo rc=$?
ps x; ps a; echo rc=$?
ps h -o comm 2; echo rc=$?
ps h -o comm 99; echo rc=$?
ps -o pid,comm --ppid 1; echo rc=$?
ps --ppid 1 -o pid=; ps -o comm= --pid 2
ps 1; ps p2; ps hx -o pid= 2
ps axo pid,comm; ps -p 1 -o comm=; ps ax -o pid,ppid,comm
ps --ppid 2>&1 | head -1; ps -- 1 2>&1 | head -1; ps -ppid 2>&1 | head -1; ps 1x2 2>&1 | head -1
'
