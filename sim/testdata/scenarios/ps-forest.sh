# ps draws the process tree: BSD f and --forest (children of PID 1 start
# new trees), -H (indentation), -j (process group and session columns).
unshare -Urpf --mount-proc sh -c 'sleep 5 & sh -c "sleep 4 & sh -c \"sleep 3\"" & sleep 0.5; ps axf; ps -ef --forest | cut -c1-20,49-; ps -e -o pid,comm --forest; ps -ejH'
