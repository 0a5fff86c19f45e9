# Source: "Overlay Filesystem Basic", blog.bianxi.com (2021-11-04),
# https://blog.bianxi.com/2021/11/04/overlay-filesystem-basic/, sections
# "Mount writable" and "Mount read-only": the order of several lower
# directories, and an overlay with no upper directory.
# Adapted: the directories are made first, each lower layer with a file of
# the same name saying where it comes from; the merged views are listed
# and a write to the read-only overlay is tried.
mkdir /lower1 /lower2 /lower3 /upper /work /merged
for d in lower1 lower2 lower3; do echo $d > /$d/which; echo $d > /$d/only-$d; done
mount -t overlay overlay -o lowerdir=/lower1:/lower2:/lower3,upperdir=/upper,workdir=/work /merged
ls /merged
cat /merged/which
echo upper > /merged/which
cat /upper/which /lower1/which
umount /merged
mount -t overlay overlay -o lowerdir=/lower1:/lower2 /merged
ls /merged
cat /merged/which
touch /merged/new
findmnt -n -o FSTYPE,OPTIONS /merged | sed 's/,xino=off//'
