# pivot_root(2): the root that moves is the caller's: "new_root and
# put_old must not be on the same mount as the current root", and "The
# current root directory must be a mount point". A caller chrooted into a
# mount pivots inside it: new_root takes the chroot's mount's place, the
# chroot's mount goes on put_old, and the namespace's own root is left
# alone (the outer shell still sees it all, from /).
exec 2>&1
unshare -m sh -c '
mkdir -p /tmp/c; mount -t tmpfs c /tmp/c
mkdir -p /tmp/c/usr /tmp/c/nr /tmp/c/proc
for l in bin sbin lib lib64; do ln -s usr/$l /tmp/c/$l; done
mount --rbind /usr /tmp/c/usr; mount --rbind /proc /tmp/c/proc
mount -t tmpfs nr /tmp/c/nr
mkdir /tmp/c/nr/old /tmp/c/nr/usr
for l in bin sbin lib lib64; do ln -s usr/$l /tmp/c/nr/$l; done
mount --rbind /usr /tmp/c/nr/usr
chroot /tmp/c sh -c "cd /nr; pivot_root . old; echo st=\$?; ls /; cut -d\" \" -f5 /old/proc/self/mountinfo"
echo ---; cut -d" " -f5 /proc/self/mountinfo
'
