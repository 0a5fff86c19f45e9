# Source: mount_namespaces(7) (man-pages 6.03), "Restrictions on mount
# namespaces" [4]: a subtree that propagated as a unit into a less
# privileged mount namespace can be unmounted only as a whole.
# Adapted: the three terminals are ns1, a background unshare shell; ns2,
# started by ns1 in the background; and ns3, nsenter run by the lab's
# shell with the PID of ns1 ($!, instead of the page's 778501, not
# printed). Each waits for the other's step (a file made when it is done,
# looked for every tenth of a second). /mnt/ppp is made first
# (the page assumes it). Mount IDs, device numbers and peer group numbers
# are the machine's (machine noise): listings keep fields 4 on and show
# shared:N / master:N.
cat > /tmp/show <<'END'
sed 's/ - .*//' | cut -d' ' -f4- | sed 's/:[0-9][0-9]*/:N/g'
END
mkdir -p /mnt/ppp
unshare --user --map-root-user --mount --propagation private sh -c '
mount --make-shared --bind /mnt /mnt
mkdir /mnt/x
mount --make-private -t tmpfs none /mnt/x
mkdir /mnt/x/y
mount --make-private -t tmpfs none /mnt/x/y
echo "--- ns1"
grep /mnt /proc/self/mountinfo | sh /tmp/show
unshare --user --map-root-user --mount --propagation unchanged sh -c "
echo --- ns2
grep /mnt /proc/self/mountinfo | sh /tmp/show
touch /tmp/ns2-ready
until [ -e /tmp/ns3-done ]; do sleep 0.1; done
echo --- ns2
grep /mnt /proc/self/mountinfo | sh /tmp/show
umount /mnt/ppp/y
umount -l /mnt/ppp
grep /mnt /proc/self/mountinfo | sh /tmp/show
"' &
until [ -e /tmp/ns2-ready ]; do sleep 0.1; done
echo '--- ns3'
nsenter -t $! --user --mount sh -c 'mount --rbind --make-private /mnt/x /mnt/ppp; grep /mnt /proc/self/mountinfo | sh /tmp/show'
touch /tmp/ns3-done
wait
