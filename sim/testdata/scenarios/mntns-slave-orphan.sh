# mount_namespaces(7): "If a shared mount is the only mount in its peer
# group, making it a slave automatically makes it private." Its slaves
# (the kernel's do_make_slave, for MS_SLAVE, MS_PRIVATE and an unmount
# alike) become slaves of its own master, or private when it had none;
# while a peer is left, they stay slaves of the peer group.
exec 2>&1
prop() { findmnt -n -o TARGET,PROPAGATION "$@"; }
mkdir -p /tmp/m /tmp/s1 /tmp/s2 /tmp/s3
mount --make-private -t tmpfs m /tmp/m
mount --make-shared /tmp/m
mount --bind /tmp/m /tmp/s1; mount --make-slave /tmp/s1
mount --make-shared /tmp/s1
mount --bind /tmp/s1 /tmp/s2; mount --make-slave /tmp/s2
prop /tmp/m; prop /tmp/s1; prop /tmp/s2
# /tmp/s1 leaves its group (no peer): its slave /tmp/s2 turns to /tmp/m.
mount --make-private /tmp/s1
prop /tmp/s1; prop /tmp/s2
mkdir /tmp/m/x; mount -t tmpfs x /tmp/m/x
prop /tmp/s2/x
umount /tmp/m/x
# A peer left: /tmp/s2 stays a slave of the group.
mount --bind /tmp/m /tmp/s3
mount --make-private /tmp/m
prop /tmp/s2; prop /tmp/s3
# The last peer unmounted: /tmp/s2 becomes private.
umount /tmp/s3
prop /tmp/s2
