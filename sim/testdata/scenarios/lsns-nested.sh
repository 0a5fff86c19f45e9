# lsns lists the namespaces of the processes it can see in /proc.
unshare -Urpf --mount-proc sh -c 'lsns -o TYPE,NPROCS,PID,COMMAND >/tmp/l; sort /tmp/l; lsns -n -t pid -o NS,PID | wc -l'
