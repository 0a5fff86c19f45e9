# "If the process opening the file is in the same user namespace as the
# process PID, then ID-outside-ns is defined with respect to the parent
# user namespace. Otherwise ... with respect to the user namespace of the
# process opening the file."
unshare -r sh -c 'unshare --map-user=5 sh -c "cat /proc/self/uid_map; sleep 1" & sleep 0.2; cat /proc/$!/uid_map; wait'
