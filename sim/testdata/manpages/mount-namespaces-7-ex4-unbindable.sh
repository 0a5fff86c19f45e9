# Source: mount_namespaces(7) (man-pages 6.03), "MS_UNBINDABLE example",
# avoiding the explosion with --rbind --make-unbindable.
# Adapted: the users' home directories are made first; the lab's own
# mounts stand for the page's disks; the last listing shows only the
# mounts under /home that are not under /dev (grep), the rest of the
# lab's mounts being unchanged. The page quotes an older mount(8)
# message; util-linux 2.38 words it differently.
mkdir -p /home/cecilia /home/henry /home/otto
mount --rbind --make-unbindable / /home/cecilia
mkdir /mntZ
mount --bind /home/cecilia /mntZ
echo status=$?
mount --rbind --make-unbindable / /home/henry
mount --rbind --make-unbindable / /home/otto
mount | awk '{print $1, $2, $3}' | grep ' /home/' | grep -v '/dev/'
