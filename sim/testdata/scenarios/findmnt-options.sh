# findmnt(8): --fstab lists /etc/fstab (a lone operand is a source, else a
# mount point), --evaluate turns tags into devices, -T finds the mount
# holding a path, -M only a mount point, -O filters by options (noX: X
# absent), -f keeps the first; --poll prints mount table changes.
findmnt --fstab; echo status=$?
printf '# x\n' > /etc/fstab; findmnt --fstab; echo status=$?
printf 'LABEL=/boot /boot ext4 defaults 0 2\nUUID=abc /u xfs rw\n/dev/sda1 / ext4 errors=remount-ro 0 1\ntmpfs /mnt/foo tmpfs size=1m\n/mnt/foo /mnt/bar none bind\n' > /etc/fstab
findmnt -s -e -o SOURCE,TARGET
findmnt -s /boot; findmnt -s /mnt/foo; findmnt -s -M /mnt/foo
findmnt -s --target /mnt/foo/x; echo status=$?
findmnt -s -n -r; findmnt -s -t ext4,xfs; findmnt -s -O size=1m; findmnt -s -l -o TARGET,FREQ,PASSNO
findmnt -s /dev/sda1 /; findmnt -s -f
findmnt -O ro -o TARGET,FSTYPE; echo status=$?
findmnt -O rw,noexec -t proc,sysfs -o TARGET; findmnt -O +noexec -o TARGET
findmnt --target /etc/passwd -o TARGET; findmnt -T /proc/self -o TARGET; findmnt -T /no/such/dir -o TARGET
findmnt -M /proc -o TARGET; findmnt -M /etc/passwd; echo status=$?
findmnt -f -t sysfs -o TARGET; findmnt -k -t proc -o TARGET; findmnt -e LABEL=x; echo status=$?
findmnt --poll=foo; echo status=$?; findmnt a b c; echo status=$?
mkdir -p /mnt/foo /mnt/bar
findmnt --poll -o ACTION,TARGET,SOURCE,FSTYPE &
sleep 0.5
mount -t tmpfs tmpfs /mnt/foo
sleep 0.5
umount /mnt/foo
sleep 0.5
kill $!
findmnt --poll=umount -f -n -M /mnt/foo -o ACTION,TARGET & sleep 0.5; mount -t tmpfs x /mnt/foo; umount /mnt/foo; wait $!; echo status=$?
