# mount_namespaces(7): findmnt -o PROPAGATION tells shared, private, slave
# and unbindable apart.
mkdir -p /tmp/pg
unshare -m sh -c 'mount -t tmpfs pg /tmp/pg; mount --make-shared /tmp/pg; findmnt -n -o PROPAGATION /tmp/pg; mount --make-slave /tmp/pg; findmnt -n -o PROPAGATION /tmp/pg; mount --make-shared /tmp/pg; findmnt -n -o PROPAGATION /tmp/pg; mount --make-private /tmp/pg; findmnt -n -o PROPAGATION /tmp/pg; mount --make-rprivate /; findmnt -n -o PROPAGATION /tmp'
