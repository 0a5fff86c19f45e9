# "if a child process is orphaned, it is reparented to the init process
# of its PID namespace" — also a grandchild of a nested shell.
unshare -Urpf --mount-proc sh -c 'sh -c "sh -c \"sleep 3 & exit 0\"; exit 0"; sleep 0.5; ps -o pid,ppid,comm; grep PPid /proc/$(ps -o pid= -C sleep | tr -d " ")/status'
