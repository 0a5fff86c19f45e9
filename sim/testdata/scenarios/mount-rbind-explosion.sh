# mount_namespaces(7), "MS_UNBINDABLE example": after
# "mount --make-rshared /", "mount --rbind / /mntX" doubles the mount count,
# and a second "mount --rbind / /mntY" propagates to the peer /mntX, so
# the mounts explode; made unbindable ("mount --rbind --make-unbindable /
# /mntX"), a later recursive bind skips the copy and the count grows only
# by the original's. A propagation flag given with another operation is
# applied to the target afterwards, as a second mount(2) call.
exec 2>&1
unshare -m sh -c '
mount --make-rshared /
mkdir -p /mntX /mntY /mntZ
mount | wc -l
mount --rbind / /mntX
mount | wc -l; mount | grep -c /mntX
mount --rbind / /mntY
mount | wc -l; mount | grep -c /mntX; mount | grep -c /mntY
mount --rbind --make-unbindable / /mntZ; echo st=$?
mount | wc -l
findmnt -o TARGET,PROPAGATION /mntZ; findmnt -o TARGET,PROPAGATION /mntX/mntY/proc
mount --bind /mntZ /tmp; echo st=$?
'
unshare -m sh -c '
mount --make-rshared /
mkdir -p /mntX /mntY
mount --rbind --make-unbindable / /mntX
mount | wc -l
mount --rbind --make-unbindable / /mntY
mount | wc -l; mount | grep -c /mntX; mount | grep -c /mntY
'
unshare -m sh -c '
mkdir -p /tmp/a /tmp/b /tmp/c /tmp/d /tmp/e
mount -t tmpfs t /tmp/a; mkdir /tmp/a/sub; mount -t tmpfs s /tmp/a/sub
mount --make-shared --bind /tmp/a /tmp/b; echo st=$?
findmnt -o TARGET,PROPAGATION /tmp/b
mount --rbind --make-unbindable /tmp/a /tmp/c; echo st=$?
findmnt -o TARGET,PROPAGATION /tmp/c; findmnt -o TARGET,PROPAGATION /tmp/c/sub
mount --bind --make-rslave /tmp/a /tmp/d; echo st=$?
findmnt -o TARGET,PROPAGATION /tmp/d
mount --make-private --make-shared /tmp/a; echo st=$?
findmnt -o TARGET,PROPAGATION /tmp/a
mount -o bind,private /tmp/a /tmp/e; echo st=$?
findmnt -o TARGET,PROPAGATION /tmp/e
mount --make-shared /tmp/a; mount --bind /tmp/a /tmp/e; mount -t tmpfs n /tmp/a/sub
findmnt -o TARGET,PROPAGATION /tmp/e/sub
'
