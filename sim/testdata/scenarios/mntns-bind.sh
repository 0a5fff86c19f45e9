# Bind mounts show the same files in two places; findmnt names the bound
# subtree in brackets.
mkdir -p /tmp/src/sub /tmp/dst
echo hello > /tmp/src/sub/file
unshare -m sh -c 'mount --bind /tmp/src /tmp/dst; cat /tmp/dst/sub/file; findmnt -n -o TARGET,FSTYPE /tmp/dst; mount --bind /tmp/src/sub /mnt; ls /mnt; findmnt -n -o TARGET,SOURCE /mnt | cut -d[ -f2'
