# "mounts that come as a single unit from a more privileged mount
# namespace are locked together and may not be separated in a less
# privileged mount namespace."
unshare -Urm sh -c 'umount /tmp; echo status=$?; mount -t tmpfs x /mnt; findmnt -n -o TARGET,FSTYPE /mnt; umount /mnt; echo status=$?'
