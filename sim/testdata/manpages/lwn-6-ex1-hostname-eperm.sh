# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 6: more on
# user namespaces", https://lwn.net/Articles/540087/ — capabilities count
# in the user namespace that owns the resource: root of a new user
# namespace cannot set the host name of the initial UTS namespace, but can
# when a new UTS namespace is made with it.
# Adapted: the unprivileged user is the lab's "student"; "./userns_child_exec
# -U -M '0 1000 1' -G '0 1000 1' bash" is replaced by "unshare -U
# --map-root-user" (and with -u for the second case), running the
# article's commands with sh -c.
su student -c "unshare -U --map-root-user sh -c 'id -u; hostname bizarro; echo status=\$?'"
su student -c "unshare -U -u --map-root-user sh -c 'hostname bizarro; hostname'"
