# setgroups(2) in a user namespace: allowed once the gid_map is written
# with setgroups "allow" (a privileged writer), denied after "deny"
# (unshare -G drops the supplementary groups first). The background job's
# "Terminated" goes to /dev/null: when the shell reports it is a race.
unshare -U --map-user=0 --map-group=0 unshare -G 0 true; echo status=$?
(
unshare -U sleep 1 &
sleep 0.2
pid=$(ps -o pid= -C sleep | tr -d " ")
echo "0 0 1" > /proc/$pid/uid_map; echo "0 0 1" > /proc/$pid/gid_map
nsenter -t $pid -U --preserve-credentials unshare -G 0 id -g 2>&1
kill $pid
) 2>/dev/null
