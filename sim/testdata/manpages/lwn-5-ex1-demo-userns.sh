# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 5: User
# namespaces", https://lwn.net/Articles/532593/ — demo_userns.c run by an
# unprivileged user: with no mapping the IDs read 65534 and the process has
# a full capability set in the new namespace.
# Adapted: the unprivileged user is the lab's "student" (su student -c);
# the C program is replaced by "unshare --user" running a shell that
# prints the effective IDs with id and the capability masks from
# /proc/self/status (instead of cap_to_text's "=ep").
su student -c 'id -u; id -g'
su student -c "unshare --user sh -c 'echo eUID = \$(id -u); echo eGID = \$(id -g); grep -E \"^Cap(Prm|Eff)\" /proc/self/status'"
