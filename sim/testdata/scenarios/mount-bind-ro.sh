# mount(8): "Note that the filesystem mount options will remain the same
# as those on the original mount point ... you can change the per-mount
# flags (ro, nosuid ...) by a separate remount ... Since util-linux 2.27
# mount(8) permits changing the mount options by passing the relevant
# options along with --bind": mount --bind -o ro makes a read-only view
# of a writable folder.
mkdir -p data view view2 view3
echo hello > data/hi.txt
mount --bind -o ro data view
cat view/hi.txt
echo bye > view/hi.txt
echo more >> data/hi.txt
cat view/hi.txt
findmnt -n -o TARGET,VFS-OPTIONS "$PWD/view" | sed "s#$PWD#.#"
mount --bind -o nosuid,nodev,noexec data view2
findmnt -n -o TARGET,VFS-OPTIONS "$PWD/view2" | sed "s#$PWD#.#"
touch view2/new && ls data
mount -o bind,ro data view3
findmnt -n -o TARGET,VFS-OPTIONS "$PWD/view3" | sed "s#$PWD#.#"
touch view3/other
umount view3 view2 view
findmnt -n -o TARGET,VFS-OPTIONS "$PWD/view" | sed "s#$PWD#.#"; echo "status $?"
