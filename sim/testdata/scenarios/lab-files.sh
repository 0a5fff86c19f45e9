# The lab host's own files: a tmpfs root the lab owns, its own /etc and
# the machine's /usr (overlays owned by the lab's root), /opt, /var, /sys.
# Dates, device nodes and the machine's folders are left out.
ls /
ls -a /dev /var /root
stat -c '%A %U %G %s %n' /dev/fd /dev/pts /dev/shm /dev/stdin /var/tmp /root /tmp /home /mnt /run /bin /lib64
stat -c '%U:%G %a %F' /tmp /root /dev/shm /usr /etc/passwd /dev/null
findmnt -n -o TARGET,FSTYPE,PROPAGATION
