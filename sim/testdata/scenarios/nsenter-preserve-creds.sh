# nsenter(1): entering a user namespace "sets the user ID and group ID to
# 0" unless --preserve-credentials keeps the current ones; -S and -G set
# them explicitly.
unshare -Urf sleep 10 &
sleep 0.2
pid=$(ps -e -o pid=,comm= | grep sleep | cut -c1-7)
nsenter -t $pid -U id -u
nsenter -t $pid -U --preserve-credentials id -u
nsenter -t $pid -U -S 0 -G 0 id
kill $pid
