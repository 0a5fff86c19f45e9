# unshare's map options: --map-user and --map-group map one ID to the
# caller's; --map-current-user maps the caller's own IDs.
unshare --map-user=5000 --map-group=5000 sh -c 'id; cat /proc/self/uid_map'
unshare -c id
unshare --map-user=nobody id -u
unshare -r --setgroups allow true; echo status=$?
