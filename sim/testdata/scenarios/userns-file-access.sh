# capabilities(7): CAP_DAC_OVERRIDE lets root of a user namespace past a
# file's mode only if the file's UID and GID are mapped in that namespace.
# Root of a namespace whose 0 is the lab's uid 1000 is a stranger to the
# lab root's files.
mkdir -p /tmp/mine; echo secret > /root/secret
unshare -U sleep 2 &
sleep 0.2
echo '0 1000 1' > /proc/$!/uid_map
echo '0 1000 1' > /proc/$!/gid_map
nsenter -t $! -U sh -c 'id; grep -E "^(Uid|CapEff)" /proc/self/status; ls /root; cat /root/secret; touch /tmp/mine/x; touch /tmp/ok && ls -l /tmp/ok | cut -d" " -f1-4; ls -ld /root | cut -d" " -f1-4'
cat /proc/$!/uid_map
wait
