# mount --move and remount read-only.
mkdir -p /tmp/x /tmp/y
unshare -m sh -c 'mount -t tmpfs -o size=2m mv /tmp/x; mount --move /tmp/x /tmp/y; findmnt -n -o TARGET,SOURCE /tmp/y; mount -o remount,ro /tmp/y; touch /tmp/y/f; findmnt -n -o TARGET,VFS-OPTIONS /tmp/y'
