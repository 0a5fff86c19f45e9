# Source: mount_namespaces(7) (man-pages 6.03), "MS_UNBINDABLE example",
# the "mount explosion" of repeated recursive bind mounts of /.
# Adapted: the users' home directories are made first; the lab's own
# mounts stand for the page's /dev/sda1, /dev/sdb6 and /dev/sdb7. The lab
# has many more mounts than the page's three, so the first two listings
# are counted (grep -c, mounts under /home) and the last shows the mounts
# under /home that are not under /dev (grep).
mkdir -p /home/cecilia /home/henry /home/otto
mount --rbind / /home/cecilia/
mount | awk '{print $1, $2, $3}' | grep -c ' /home/'
mount --rbind / /home/henry
mount | awk '{print $1, $2, $3}' | grep -c ' /home/'
mount --rbind / /home/otto
mount | awk '{print $1, $2, $3}' | grep ' /home/' | grep -v '/dev/'
