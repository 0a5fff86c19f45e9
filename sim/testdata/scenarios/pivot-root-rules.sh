# pivot_root(2): "new_root and put_old must be directories"; "new_root
# and put_old must not be on the same mount as the current root" (EBUSY);
# "put_old must be at or underneath new_root"; "new_root must be a path
# to a mount point, but can't be "/""; "The propagation type of the
# parent mount of new_root ... must not be MS_SHARED; similarly, if
# put_old is an existing mount point, its propagation type must not be
# MS_SHARED" (EINVAL); "EPERM The calling process does not have the
# CAP_SYS_ADMIN capability"; it "changes the root directory and the
# current working directory of each process or thread in the same mount
# namespace to new_root if they point to the old root directory" and
# "does not change the caller's current working directory (unless it is
# on the old root directory)". The lab's root is locked (it came from
# the machine's namespace): it cannot be a new root (EINVAL). pivot_root(8)
# takes its two arguments as they are, after getopt. The shell's pwd
# prints the directory it last changed to.
exec 2>&1
pivot_root; echo st=$?
pivot_root a; echo st=$?
pivot_root a b c; echo st=$?
pivot_root -x; echo st=$?
pivot_root --foo; echo st=$?
pivot_root -- a; echo st=$?
pivot_root -V; echo st=$?
pivot_root /tmp /tmp; echo st=$?
unshare -m sh -c '
mkdir -p /tmp/nr /tmp/plain/d
mount -t tmpfs nr /tmp/nr
mkdir -p /tmp/nr/usr /tmp/nr/old /tmp/nr/proc /tmp/nr/d
for l in bin sbin lib lib64; do ln -s usr/$l /tmp/nr/$l; done
mount --rbind /usr /tmp/nr/usr
touch /tmp/nr/f
pivot_root /tmp/nr /etc/passwd; echo st=$?
pivot_root /tmp/nr/f /tmp/nr/old; echo st=$?
pivot_root /tmp/nr /tmp/nr/f; echo st=$?
pivot_root /tmp/nr /tmp/nr/none; echo st=$?
pivot_root /tmp/plain /tmp/plain/d; echo st=$?
pivot_root /tmp /tmp; echo st=$?
pivot_root /tmp/nr /; echo st=$?
pivot_root /tmp/nr /tmp; echo st=$?
pivot_root /tmp/nr/d /tmp/nr/d; echo st=$?
mount --make-shared /tmp/nr
pivot_root /tmp/nr /tmp/nr/old; echo st=$?
mount --make-private /tmp/nr
mount --bind /tmp/nr/old /tmp/nr/old; mount --make-shared /tmp/nr/old
pivot_root /tmp/nr /tmp/nr/old; echo st=$?
umount /tmp/nr/old
unshare -U pivot_root /tmp/nr /tmp/nr/old; echo st=$?
mkdir /tmp/nr/old/x; mount -t tmpfs x /tmp/nr/old/x
cd /tmp/plain
sleep 100 &
cd /tmp/nr
pivot_root /tmp/nr /tmp/nr/old/x; echo st=$?
pwd; cd .; pwd; ls; ls /old/x/etc/hostname
readlink /old/x/proc/$!/root /old/x/proc/$!/cwd /old/x/proc/self/cwd /old/x/proc/self/root
kill $!
'
