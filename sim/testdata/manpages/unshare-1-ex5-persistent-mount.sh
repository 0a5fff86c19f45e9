# Source: unshare(1) (util-linux 2.38), EXAMPLES, fifth example: a
# persistent mount namespace bound under a private bind mount.
# Adapted: /root/namespaces is created first (the page assumes it); the
# shell that unshare starts without a command is given the command true;
# the namespace is then entered with nsenter to show that it persists.
mkdir /root/namespaces
mount --bind /root/namespaces /root/namespaces
mount --make-private /root/namespaces
touch /root/namespaces/mnt
unshare --mount=/root/namespaces/mnt true
echo status=$?
nsenter --mount=/root/namespaces/mnt findmnt -n -o TARGET /root/namespaces
