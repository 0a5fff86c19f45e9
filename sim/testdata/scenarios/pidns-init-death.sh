# "If the "init" process of a PID namespace terminates, the kernel
# terminates all of the processes in the namespace via a SIGKILL signal."
unshare -Urpf --mount-proc sh -c 'sleep 100 & sleep 100 & ps -o pid,comm | wc -l'
echo status=$?
