# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 6: more on
# user namespaces", https://lwn.net/Articles/540087/ — the contents of
# uid_map depend on the user namespace of the reader: a process mapping
# 200 to 1000, read from a sibling namespace that maps 0 to 1000, shows
# "200 0 1".
# Adapted: the unprivileged user is the lab's "student"; the two
# userns_child_exec runs are "unshare -U --map-user=200 --map-group=200"
# (in the background) and "unshare -U --map-root-user"; the lab's student
# reads the map from the parent namespace too.
cat > /tmp/session <<'END'
unshare -U --map-user=200 --map-group=200 sleep 2 &
sleep 0.5
cat /proc/$!/uid_map
unshare -U --map-root-user cat /proc/$!/uid_map
kill $!
END
su student -c 'sh /tmp/session'
