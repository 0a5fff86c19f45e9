# Source: mount_namespaces(7) (man-pages 6.03), "MS_UNBINDABLE example",
# the "mount explosion" of repeated recursive bind mounts of /.
# Adapted: the users' home directories are made first; the lab's own
# mounts stand for the page's /dev/sda1, /dev/sdb6 and /dev/sdb7. The lab
# has seven mounts where the page has three, so each listing is counted
# (grep -c, the mounts under /home): the growth is the page's point.
mkdir -p /home/cecilia /home/henry /home/otto
mount --rbind / /home/cecilia/
mount | awk '{print $1, $2, $3}' | grep -c ' /home/'
mount --rbind / /home/henry
mount | awk '{print $1, $2, $3}' | grep -c ' /home/'
mount --rbind / /home/otto
mount | awk '{print $1, $2, $3}' | grep -c ' /home/'
