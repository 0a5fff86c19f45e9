# mount_namespaces(7): "mounts that come as a single unit from a more
# privileged mount namespace are locked together and may not be separated
# in a less privileged mount namespace"; "The MS_RDONLY, MS_NOSUID,
# MS_NOEXEC, and the "atime" flags ... settings become locked when
# propagated from a more privileged to a less privileged mount namespace,
# and may not be changed in the less privileged mount namespace." A bind
# remount may still add flags. util-linux's messages for each refusal.
exec 2>&1
mkdir -p /tmp/a /tmp/b /tmp/m
mount -t tmpfs t /tmp/a; mount -t tmpfs -o ro r /tmp/b
unshare -Urm sh -c '
umount /tmp/a; echo st=$?
umount -l /tmp/a; echo st=$?
mount --move /tmp/a /tmp/m; echo st=$?
mount -o remount,rw /tmp/b; echo st=$?
mount -o remount,ro /tmp/a; echo st=$?
mount -o remount,nosuid /tmp/a; echo st=$?
umount /proc; echo st=$?
umount /tmp/nonexist; echo st=$?
mount -o remount,bind,ro /tmp/a; echo st=$?; findmnt -n -o OPTIONS /tmp/a | cut -d, -f1-2
mount -o remount,bind,rw /tmp/a; echo st=$?; findmnt -n -o OPTIONS /tmp/a | cut -d, -f1-2
mount -o remount,bind,rw /tmp/b; echo st=$?
mount -o remount,bind,nosuid /tmp/b; echo st=$?; findmnt -n -o OPTIONS /tmp/b | cut -d, -f1-3
mount -o remount,bind,ro,nodev /tmp/b; echo st=$?; findmnt -n -o OPTIONS /tmp/b | cut -d, -f1-4
mount -o remount,bind,ro,noatime /tmp/b; echo st=$?
mount --bind /tmp/a /tmp/m; echo st=$?; umount /tmp/m; echo st=$?
'
mount -o remount,bind,ro /tmp/a; echo st=$?; findmnt -n -o OPTIONS /tmp/a | cut -d, -f1-2
unshare -Urm sh -c 'mount -o remount,bind,rw /tmp/a; echo st=$?'
mount -o remount,bind,rw /tmp/a; echo st=$?; findmnt -n -o OPTIONS /tmp/a | cut -d, -f1-2
