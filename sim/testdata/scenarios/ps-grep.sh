# The classic: ps | grep finds grep itself, since every command of a
# pipeline is running (exec'd) when ps reads /proc.
unshare -pf --mount-proc sh -c 'sleep 5 & ps -ef | grep -v STIME | cut -c1-30,49-; ps aux | grep slee[p] | cut -c66-; ps -e -o pid,comm | grep -c .'
