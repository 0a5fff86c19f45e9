# namespaces(7): "bind mounting ... one of the files in this directory to
# somewhere else in the filesystem keeps the corresponding namespace ...
# alive even if all processes currently in the namespace terminate";
# unshare --TYPE=FILE does that, and nsenter --TYPE=FILE enters it later.
# Once unmounted, the file is a plain file again: setns(2) says EINVAL.
touch /tmp/keep /tmp/net
unshare --uts=/tmp/keep hostname kept
nsenter --uts=/tmp/keep hostname
hostname
unshare --net=/tmp/net ip link set lo up
nsenter --net=/tmp/net ip -br link | cut -c1-20
findmnt -n -o TARGET,SOURCE,FSTYPE /tmp/keep | sed 's/\[.*\]/[NS]/'
mount --bind /proc/self/ns/ipc /tmp/net 2>/dev/null; findmnt -n -o TARGET,FSTYPE /tmp/net
umount /tmp/keep
nsenter --uts=/tmp/keep hostname; echo status=$?
unshare --uts=/tmp/missing true 2>&1 | sed 's,/proc/,/proc/@,'
