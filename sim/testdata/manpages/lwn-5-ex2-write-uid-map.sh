# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 5: User
# namespaces", https://lwn.net/Articles/532593/ — writing "0 1000 1" to
# the child's uid_map from the parent namespace, after which the child's
# user ID is 0.
# Adapted: the unprivileged user is the lab's "student"; the child of
# demo_userns is a background "unshare --user" shell that waits a second
# and then prints id; the parent's write is an echo into its uid_map.
cat > /tmp/session <<'END'
unshare --user sh -c 'sleep 1; id -u; id -g; cat /proc/$$/uid_map' &
sleep 0.5
echo '0 1000 1' > /proc/$!/uid_map
echo status=$?
wait
END
su student -c 'sh /tmp/session'
