# user_namespaces(7) write rules for uid_map, written from the parent
# namespace: once only, the IDs mapped in the writer's namespace, ranges
# that do not overlap, and lines of three numbers.
unshare -U sleep 1 &
sleep 0.2
pid=$(ps -o pid= -C sleep | tr -d " ")
echo "0 0 1" > /proc/$pid/uid_map; echo status=$?
cat /proc/$pid/uid_map
echo "0 0 1" > /proc/$pid/uid_map; echo status=$?
kill $pid
unshare -U sleep 1 &
sleep 0.2
pid=$(ps -o pid= -C sleep | tr -d " ")
printf '0 0 10\n5 100 10\n' > /proc/$pid/uid_map; echo status=$?
echo bogus > /proc/$pid/gid_map; echo status=$?
echo "0 70000 1" > /proc/$pid/gid_map; echo status=$?
kill $pid
