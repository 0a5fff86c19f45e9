# ps in a fresh PID namespace, where PIDs do not depend on the machine.
unshare -Urpf --mount-proc sh -c 'ps; ps -e; ps -o pid,user,stat,comm,args; ps -p 1 -o comm=; ps -o pid= -o ppid='
