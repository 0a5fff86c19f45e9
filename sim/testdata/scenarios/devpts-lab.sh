# devpts: "max=count ... the maximum number of PTYs in this instance";
# a remount parses uid= and gid= in the caller's user namespace
# (fs/devpts/inode.c) and resets every option it is given. The lab host's
# /dev/pts is the engine's, capped at 64 PTYs and owned by the machine:
# its gid is a host ID the lab cannot name, so the lab's remount fails;
# a devpts the lab mounts itself takes a new max.
findmnt -n -o TARGET,SOURCE,FSTYPE,OPTIONS /dev/pts | sed 's/gid=[0-9]*/gid=HOST/'
mount -o remount,max=100 /dev/pts; echo rc=$?
findmnt -n -o OPTIONS /dev/pts | sed 's/gid=[0-9]*/gid=HOST/'
ls -a /dev/pts; stat -c '%A %U %G %n' /dev/pts /dev/pts/ptmx /dev/ptmx
unshare -m sh -c 'mount -t devpts -o newinstance devpts /mnt && findmnt -n -o OPTIONS /mnt && mount -o remount,max=100 /mnt && findmnt -n -o OPTIONS /mnt && ls -a /mnt'
