# Source: mount_namespaces(7) (man-pages 6.03), "Dominance and
# propagate_from": a master-slave chain /mnt -> /tmp/etc -> /mnt/tmp/etc,
# then chroot /mnt makes /tmp/etc unreachable and propagate_from appears.
# Adapted: the lab's /usr (cat, sed) is a mount of its own, so / is bound
# on /mnt with --rbind instead of --bind and the listings keep only the
# page's lines (grep); chroot runs cat and sed instead of an interactive
# shell. Mount IDs, device numbers and peer group numbers are the
# machine's (machine noise): each listing keeps fields 4 on and the
# propagation tags as shared:N, master:N, propagate_from:N.
show() { sed 's/ - .*//' | cut -d' ' -f4- | sed 's/:[0-9][0-9]*/:N/g'; }
mkdir -p /mnt/proc
mount --rbind / /mnt
mount --bind /proc /mnt/proc
mount --make-private /mnt  # Isolate from any previous peer group
mount --make-shared /mnt
cat /proc/self/mountinfo | egrep ' /mnt | /mnt/proc ' | show
mkdir -p /tmp/etc
mount --bind /mnt/etc /tmp/etc
cat /proc/self/mountinfo | egrep ' /mnt | /mnt/proc | /tmp/etc ' | show
mount --make-slave /tmp/etc
mount --make-shared /tmp/etc
cat /proc/self/mountinfo | egrep ' /mnt | /mnt/proc | /tmp/etc ' | show
mkdir -p /mnt/tmp/etc
mount --bind /tmp/etc /mnt/tmp/etc
mount --make-slave /mnt/tmp/etc
cat /proc/self/mountinfo | egrep ' /mnt | /mnt/proc | /tmp/etc | /mnt/tmp/etc ' | show
chroot /mnt sh -c "cat /proc/self/mountinfo | sed 's/ - .*//' | egrep '^([^ ]+ ){4}(/|/proc|/tmp/etc) ' | cut -d' ' -f4- | sed 's/:[0-9][0-9]*/:N/g'"
