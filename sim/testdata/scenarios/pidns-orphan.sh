# An orphan is reparented to the init of its PID namespace. (ps waits a
# moment: until the orphan has exec'd sleep, it is a copy of sh.)
unshare -Urpf --mount-proc sh -c 'sh -c "sleep 5 & exit 0"; sleep 0.5; ps -o pid,ppid,comm'
