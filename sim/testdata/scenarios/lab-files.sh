# The lab host's own files: a tmpfs root the lab owns, the machine's /usr
# and /etc (owned by the machine's root: nobody here). Dates, device nodes
# and the machine's folders are left out: they are the machine's.
ls /
ls -a /dev /var /root
stat -c '%A %U %G %s %n' /dev/fd /dev/pts /dev/shm /dev/stdin /var/tmp /root /tmp /home /mnt /run /bin /lib64
stat -c '%U:%G %a %F' /tmp /root /dev/shm /usr /etc/passwd /dev/null
findmnt -n -o TARGET,FSTYPE,PROPAGATION
