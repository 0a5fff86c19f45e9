# Source: mount_namespaces(7) (man-pages 6.03), "Restrictions on mount
# namespaces" [3]: a mount made in a more privileged mount namespace is
# locked in a less privileged one and cannot be unmounted there.
# Adapted: "sudo sh" dropped (the lab's shell is root); strace is not
# used: umount runs directly (the page's "umount /mnt/dir" is a typo for
# /etc/shadow, which its output names) and its status is printed.
mount --bind /dev/null /etc/shadow
cat /etc/shadow       # Produces no output
unshare --user --map-root-user --mount \
               umount /etc/shadow
echo status=$?
