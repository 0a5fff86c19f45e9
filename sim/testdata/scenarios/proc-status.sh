# /proc/PID/status through the eyes of different user and PID namespaces.
unshare -Urpf --mount-proc sh -c 'grep -E "^(Name|State|Pid|PPid|NSpid|NStgid|Uid|Gid|CapEff)" /proc/self/status'
unshare -U sh -c 'grep -E "^(Uid|Gid|CapInh|CapPrm|CapEff|CapBnd|CapAmb)" /proc/$$/status'
