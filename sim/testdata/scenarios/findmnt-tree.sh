# findmnt lists mounts in the order of mountinfo (its tree orders children
# by mount ID, which the machine hands out, so the list is shown here).
mkdir -p /tmp/a /tmp/b
unshare -m sh -c 'mount -t tmpfs a /tmp/a; mkdir /tmp/a/sub; mount -t tmpfs sub /tmp/a/sub; mount --bind /tmp/a /tmp/b; findmnt -l -o TARGET,SOURCE,FSTYPE; umount /tmp/a/sub; findmnt -n -o TARGET /tmp/a/sub; echo status=$?'
