# Source: pivot_root(8) (util-linux 2.38), EXAMPLE: "Change the root file
# system to /dev/hda1 from an interactive shell":
#   mount /dev/hda1 /new-root; cd /new-root; pivot_root . old-root;
#   exec chroot . sh <dev/console >dev/console 2>&1; umount /old-root
# Adapted: in a new mount namespace (unshare -m), a tmpfs stands for
# /dev/hda1, given the lab's /usr (an rbind), Debian's merged-/usr links
# and /proc (umount reads /proc/self/mountinfo); the lab has no
# /dev/console, so the redirections are dropped and the new shell gets
# its commands with -c. umount /old-root is refused while mounts are
# below it (EBUSY); the session then unmounts it lazily. findmnt lists
# (-l): its tree orders by mount ID, which is the machine's.
mkdir /new-root
mount -t tmpfs hda1 /new-root
mkdir /new-root/old-root /new-root/usr /new-root/proc
for l in bin sbin lib lib64; do ln -s usr/$l /new-root/$l; done
unshare -m sh -c '
mount --rbind /usr /new-root/usr
mount --rbind /proc /new-root/proc
cd /new-root
pivot_root . old-root
echo status=$?
exec chroot . sh -c "umount /old-root; echo status=\$?; umount -l /old-root; echo status=\$?; ls /old-root; findmnt -n -l -o TARGET,SOURCE"
'
echo status=$?
findmnt -n -o TARGET,SOURCE /new-root
