# Source: mount_namespaces(7) (man-pages 6.03), "Restrictions on mount
# namespaces" [3]: a mount can be stacked on an inherited locked mount.
# Adapted: the locking bind mount of the previous example is made first;
# the "# " prompts dropped.
mount --bind /dev/null /etc/shadow
echo 'aaaaa' > /tmp/a    # File to mount onto /etc/shadow
unshare --user --map-root-user --mount \
    sh -c 'mount --bind /tmp/a /etc/shadow; cat /etc/shadow'
umount /etc/shadow
cat /etc/shadow | wc -l
