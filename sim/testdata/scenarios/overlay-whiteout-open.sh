# open(2): "EACCES ... pathname refers to a device special file and the
# filesystem is mounted nodev" - and a file system mounted from inside a
# user namespace never opens its device nodes (SB_I_NODEV). The whiteout
# overlayfs leaves in the upper directory is such a node (a 0/0 character
# device), on the lab's nodev root and on a tmpfs the lab mounts itself.
mkdir lower upper work merged
echo lower > lower/f
mount -t overlay overlay -o lowerdir=$PWD/lower,upperdir=$PWD/upper,workdir=$PWD/work merged
rm merged/f
cat upper/f; echo status $?
echo x > upper/f; echo status $?
mkdir t
mount -t tmpfs tmpfs t
mkdir t/upper t/work t/merged
mount -t overlay overlay -o lowerdir=$PWD/lower,upperdir=$PWD/t/upper,workdir=$PWD/t/work t/merged
rm t/merged/f
ls -l t/upper | sed 's/ [A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]//'
cat t/upper/f; echo status $?
cp t/upper/f copy; echo status $?
