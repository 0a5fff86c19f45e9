# Source: pivot_root(2) (man-pages 6.03), EXAMPLES: pivot_root_demo pivots
# to a new root directory inside a new mount namespace and runs a
# program there; its inode is the one /tmp/rootfs had.
# Adapted: the demo's system calls are made by commands: unshare -m for
# clone(CLONE_NEWNS) (unshare makes / private recursively, as the demo's
# mount(NULL, "/", NULL, MS_REC | MS_PRIVATE)); mount --bind of new_root
# on itself; mkdir of put_old; pivot_root; cd /; umount -l for
# umount2(MNT_DETACH), which umount(8) does only with a /proc, so /proc is
# bound in the new root; rmdir. busybox is not in the lab: the new root
# gets the lab's /usr (an rbind) and Debian's merged-/usr links instead,
# and the page's busybox session becomes ls and echo. Inode numbers are
# the machine's: the two are compared instead of printed.
mkdir /tmp/rootfs
ino=$(ls -id /tmp/rootfs | cut -d' ' -f1)
mkdir /tmp/rootfs/usr /tmp/rootfs/proc
for l in bin sbin lib lib64; do ln -s usr/$l /tmp/rootfs/$l; done
unshare -m sh -c '
mount --bind /tmp/rootfs /tmp/rootfs
mount --rbind /usr /tmp/rootfs/usr
mount --rbind /proc /tmp/rootfs/proc
mkdir /tmp/rootfs/oldrootfs
pivot_root /tmp/rootfs /tmp/rootfs/oldrootfs
cd /
umount -l /oldrootfs
rmdir /oldrootfs
exec sh -c "ls; [ \"\$(ls -id / | cut -d\" \" -f1)\" = $1 ] && echo same inode as /tmp/rootfs; echo hello world; cut -d\" \" -f5 /proc/self/mountinfo"
' sh $ino
