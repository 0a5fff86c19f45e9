# Source: findmnt(8) (util-linux 2.38), EXAMPLES: "findmnt --fstab /mnt/foo" —
# "Prints all /etc/fstab filesystems where the mountpoint directory is /mnt/foo. It also prints bind mounts where /mnt/foo is a source."
# Adapted: the lab has no /etc/fstab, so the scenario writes one first
# (an NFS line, a tmpfs on /mnt/foo, a bind mount of /mnt/foo, a LABEL=
# line); the status is printed.
cat > /etc/fstab <<"END"
# <file system>          <mount point> <type> <options>       <dump> <pass>
LABEL=/boot              /boot         ext4   defaults        0      2
server:/export/home      /mnt/home     nfs    ro,soft         0      0
tmpfs                    /mnt/foo      tmpfs  size=1m         0      0
/mnt/foo                 /mnt/bar      none   bind            0      0
END
findmnt --fstab /mnt/foo
echo status=$?
