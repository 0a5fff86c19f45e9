# unshare(1) --kill-child: when unshare dies, its child gets the signal.
unshare -pf --kill-child --mount-proc sleep 30 &
sleep 0.5
kill $!
wait $!; echo status=$?
sleep 0.5
ps -e -o comm= | grep -c sleep
