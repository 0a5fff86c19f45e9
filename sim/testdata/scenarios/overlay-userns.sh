# overlayfs (Documentation/filesystems/overlayfs.rst), mountable in a user
# namespace since Linux 5.11, as the overlay explainers run it: "mount -t
# overlay overlay -o lowerdir=...,upperdir=...,workdir=... merged". Lower
# and upper names merge; a write copies a lower file up; removing a lower
# name leaves a whiteout, "a character device with 0/0 device number";
# without an upper layer the mount is read-only and needs two lower ones.
# The upper layer is tmpfs here, which cannot take the user.overlay.*
# attributes an unprivileged overlay needs to make a lower directory
# opaque: removing one fails with EIO.
exec 2>&1
cd /tmp && mkdir -p lower upper work merged lower/dir
echo lower-a > lower/a; echo lower-b > lower/b; echo deep > lower/dir/f; echo up > upper/u
unshare -Urm sh -c '
mount -t overlay overlay -o lowerdir=/tmp/lower,upperdir=/tmp/upper,workdir=/tmp/work /tmp/merged; echo st=$?
findmnt -n -o SOURCE,FSTYPE,OPTIONS /tmp/merged
ls /tmp/merged; cat /tmp/merged/a /tmp/merged/u /tmp/merged/dir/f
echo new > /tmp/merged/a; cat /tmp/merged/a /tmp/lower/a /tmp/upper/a
rm /tmp/merged/b; ls /tmp/merged; ls -l /tmp/upper | tail -n +2 | cut -d" " -f1-6,10-
echo n > /tmp/merged/c; ls /tmp/upper /tmp/lower
mkdir /tmp/merged/newdir; rm -r /tmp/merged/dir; echo st=$?; ls /tmp/merged /tmp/upper /tmp/merged/dir
ls /tmp/work; ls -ld /tmp/work/work | cut -d" " -f1-4
echo x > /tmp/lower/late; cat /tmp/merged/late
mkdir /tmp/lower/ldir; touch /tmp/lower/ldir/x; echo y > /tmp/merged/ldir/new; ls /tmp/merged/ldir /tmp/upper/ldir
mount -t overlay overlay -o lowerdir=/tmp/nonexist,upperdir=/tmp/upper,workdir=/tmp/work /tmp/merged; echo st=$?
mount -t overlay overlay -o lowerdir=/tmp/lower /tmp/merged; echo st=$?
mount -t overlay overlay -o lowerdir=/tmp/lower,upperdir=/tmp/upper /tmp/merged; echo st=$?
mount -t overlay overlay /tmp/merged; echo st=$?
umount /tmp/merged; echo st=$?; ls /tmp/merged
mount -t overlay overlay -o lowerdir=/tmp/upper:/tmp/lower /tmp/merged; echo st=$?; ls /tmp/merged; findmnt -n -o OPTIONS /tmp/merged; touch /tmp/merged/z; echo st=$?
'
