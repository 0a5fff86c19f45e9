# Source: mount_namespaces(7) (man-pages 6.03), "Restrictions on mount
# namespaces" [5]: MS_RDONLY and the other flags become locked in a less
# privileged mount namespace.
# Adapted: "sudo" dropped (the lab's shell is root); /some/path is made
# first; the status is printed.
mkdir -p /some/path
mkdir /mnt/dir
mount --bind -o ro /some/path /mnt/dir
unshare --user --map-root-user --mount \
               mount -o remount,rw /mnt/dir
echo status=$?
