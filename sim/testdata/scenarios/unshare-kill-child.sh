# unshare(1) --kill-child: when unshare dies, its child gets the signal.
unshare -pf --kill-child --mount-proc sleep 30 &
sleep 0.2
kill $!
wait $!; echo status=$?
sleep 0.1
ps -e -o comm= | grep -c sleep
