# Source: mount_namespaces(7) (man-pages 6.03), "MS_SHARED and MS_PRIVATE
# example".
# Adapted: /mntS and /mntP (and the page's /dev/sdb6, /dev/sdb7 mounted
# under them) are tmpfs mounts made first; the second terminal (sh2) is an
# unshare -m --propagation unchanged sh -c run to completion between the
# two looks of the first terminal (sh1), the lab's shell. Mount IDs,
# device numbers and peer group numbers in mountinfo are the machine's
# (machine noise): each listing keeps fields 4 on (root, mount point,
# options) and shows peer groups as shared:N / master:N. The page's
# awk '$1 == 61' look at the root mount selects by mount ID and is left
# out.
show() { sed 's/ - .*//' | cut -d' ' -f4- | sed 's/:[0-9][0-9]*/:N/g'; }
mkdir /mntS /mntP
mount -t tmpfs tmpfs /mntS
mount -t tmpfs tmpfs /mntP
mount --make-shared /mntS
mount --make-private /mntP
cat /proc/self/mountinfo | grep '/mnt' | show
echo '--- sh2'
unshare -m --propagation unchanged sh -c '
show() { sed "s/ - .*//" | cut -d" " -f4- | sed "s/:[0-9][0-9]*/:N/g"; }
cat /proc/self/mountinfo | grep "/mnt" | show
mkdir /mntS/a
mount -t tmpfs tmpfs /mntS/a
mkdir /mntP/b
mount -t tmpfs tmpfs /mntP/b
cat /proc/self/mountinfo | grep "/mnt" | show'
echo '--- sh1'
cat /proc/self/mountinfo | grep '/mnt' | show
