# pivot_root(2), NOTES, pivot_root(".", "."): "new_root and put_old may
# be the same directory ... chdir(new_root); pivot_root(".", ".");
# umount2(".", MNT_DETACH); This sequence succeeds because the
# pivot_root() call stacks the old root mount point on top of the new
# root mount point at /. At that point, the calling process's root
# directory and current working directory refer to the new root mount
# point (new_root). During the subsequent umount() call, resolution of
# "." starts with new_root and then moves up the list of mounts stacked
# at /, with the result that old root mount point is unmounted."
exec 2>&1
mkdir /tmp/nr
mount -t tmpfs nr /tmp/nr
mkdir /tmp/nr/usr /tmp/nr/proc
for l in bin sbin lib lib64; do ln -s usr/$l /tmp/nr/$l; done
echo new > /tmp/nr/new-root-file
unshare -m sh -c '
mount --rbind /usr /tmp/nr/usr
mount --rbind /proc /tmp/nr/proc
cd /tmp/nr
pivot_root . .; echo st=$?
ls /; ls; cat /new-root-file
cut -d" " -f4,5 /proc/self/mountinfo
umount -l .; echo st=$?
cut -d" " -f4,5 /proc/self/mountinfo
ls /
'
