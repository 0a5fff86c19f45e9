# A mount made in a new mount namespace is not seen outside it.
mkdir -p /tmp/m
unshare -m sh -c 'mount -t tmpfs -o size=1m demo /tmp/m; findmnt -n -o TARGET,SOURCE,FSTYPE /tmp/m; touch /tmp/m/inside; ls /tmp/m'
findmnt /tmp/m; echo status=$?
ls /tmp/m
