# lsns(8): "NETNSID namespace ID as used by network subsystem", "NSFS
# nsfs mountpoint (usually used network subsystem)"; with -t net the
# default output adds both. The caller's own namespace reads
# "unassigned", as does one it has given no id; ip netns add mounts the
# namespace's file on /run/netns/NAME (once, though mountinfo shows the
# mount twice). PIDs of the lab host are marked with @; one namespace at
# a time (-p), as the order of two follows their inode numbers.
lsns -t net >/tmp/lsns.out
sed 's/^\( *[0-9]* *[a-z]* *[0-9]* *\)\([0-9][0-9]*\)/\1@\2/' /tmp/lsns.out
ip netns add blue
ip netns exec blue sleep 3 &
sleep 0.5
lsns -t net -p $! -o TYPE,NPROCS,NETNSID,NSFS
lsns -t net -p $! -o NETNSID,NSFS -J
lsns -t net -p $$ -r -o TYPE,NETNSID,NSFS
lsns -t net -p $$ -n -o NSFS,NETNSID
kill $!
