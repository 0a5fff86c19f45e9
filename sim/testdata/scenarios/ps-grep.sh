# The classic: ps | grep finds grep itself: every command of a pipeline
# runs at once. (ps waits a moment: until a pipeline's command has exec'd,
# it is a copy of sh, and the race is the machine's. The cuts leave out
# PIDs, which depend on whether the subshell or its parent forks first,
# the start time, -ef's C and aux's %CPU: C and %CPU are CPU time over
# time alive, which for ps itself depends on the machine's load; the
# simulator shows 0.)
unshare -pf --mount-proc sh -c 'sleep 5 & (sleep 0.5; ps -ef) | grep -v STIME | cut -c1-9,53-; (sleep 0.5; ps aux) | grep slee[p] | cut -c66-; ps -e -o pid,comm | grep -c .'
