# Source: unshare(1) (util-linux 2.38), EXAMPLES, second example: "As an
# unprivileged user, create a new user namespace where the user's
# credentials are mapped to the root IDs inside the namespace".
# Adapted: the unprivileged user is the lab's "student" (UID 1000), each
# "$ " command run through su student -c; the page's doubled quotes ''…''
# (a man-page rendering of '…') are single quotes.
su student -c 'id -u; id -g'
su student -c "unshare --user --map-root-user sh -c 'whoami; cat /proc/self/uid_map /proc/self/gid_map'"
