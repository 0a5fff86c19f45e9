# proc(5): /proc/self "When a process accesses this magic symbolic link, it
# resolves to the process's own /proc/pid directory" - of the PID namespace
# the proc filesystem was mounted for; a reader with no PID there finds
# self and thread-self unreadable (ENOENT), and procps stops with
# "Error, do this: mount -t proc proc /proc" (exit status 47).
exec 2>&1
mkdir -p /tmp/p
unshare -m sh -c '
unshare -pf sh -c "mount -t proc proc /tmp/p; sleep 1" &
sleep 0.5
ls -ld /tmp/p/self /tmp/p/thread-self; echo st=$?
readlink /tmp/p/self; echo st=$?
cat /tmp/p/self/comm; echo st=$?
ls /tmp/p | grep self
readlink /proc/thread-self | sed "s/[0-9][0-9]*/N/g"
mount --bind /tmp/p /proc
ps; echo st=$?; ps -o pid,comm; echo st=$?
wait'
unshare -m sh -c 'umount -l /proc; ps -e; echo st=$?'
unshare -pf --mount-proc sh -c 'readlink /proc/self /proc/thread-self; ls /proc/self/task; cat /proc/thread-self/comm'
