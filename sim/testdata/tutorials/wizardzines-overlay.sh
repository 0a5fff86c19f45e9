# Source: "how layers work: mount -t overlay", Julia Evans, wizardzines.com
# (from the zine "How Containers Work!"),
# https://wizardzines.com/comics/overlay-filesystems/: the comic's example.
# Adapted: the comic's /lower, /upper, /work and /merged are made first,
# with the files its `ls` output shows (dog.txt in both layers), and the
# merged dog.txt is read to show which one wins. `mount -t overlay` alone,
# which the comic suggests running in a container, is left out: the lab's
# own overlays are machine paths.
mkdir /lower /upper /work /merged
echo 'from upper' > /upper/cat.txt
echo 'from upper' > /upper/dog.txt
echo 'from lower' > /lower/dog.txt
echo 'from lower' > /lower/bird.txt
mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper,workdir=/work /merged
ls /upper
ls /lower
ls /merged
cat /merged/dog.txt
