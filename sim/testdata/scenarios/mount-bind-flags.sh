# mount(8): "Since util-linux 2.27 mount permits changing the mount
# options by passing the relevant options along with --bind ... This
# feature is not supported by the Linux kernel; it is implemented in
# userspace by an additional mount(2) remounting system call." So
# `--bind -o ro` sets exactly the flags given. In a less privileged
# namespace (mount_namespaces(7): locked mounts "may not be separated",
# locked flags "may not be changed"), a bind without MS_REC of a mount
# with locked mounts below is EINVAL, and a remount that would clear a
# locked flag is EPERM, the bind staying mounted (libmount's
# MNT_ERR_APPLYFLAGS message). The overlay's options (file descriptor
# numbers of the engine) are cut.
exec 2>&1
mkdir -p /tmp/src /tmp/ro /tmp/ns
mount --bind -o ro /tmp/src /tmp/ro; echo st=$?
findmnt -n -o VFS-OPTIONS /tmp/ro
mount --bind -o nosuid,noexec /tmp/src /tmp/ns; echo st=$?
findmnt -n -o VFS-OPTIONS /tmp/ns
unshare -Urm sh -c '
show() { grep " $1 " /proc/self/mountinfo | cut -d" " -f4-6; }
mkdir -p /tmp/a /tmp/b
mount --bind /usr /tmp/a; echo st=$?
mount --bind -o ro /usr/local /tmp/a; echo st=$?
show /tmp/a
mount --bind -o ro,nosuid,nodev /usr/local /tmp/b; echo st=$?
show /tmp/b
mount --rbind -o nosuid /usr /tmp/b; echo st=$?
grep " /tmp/b" /proc/self/mountinfo | cut -d" " -f4-6
mount -o remount,bind,rw /tmp/b; echo st=$?
mount -o remount,bind,ro,nosuid,nodev,noatime /tmp/b; echo st=$?
mount -o remount,ro /tmp/b; echo st=$?
mount -o remount,bind,ro,nosuid,nodev,noexec /tmp/b; echo st=$?
show /tmp/b
umount /usr/local; echo st=$?
'
