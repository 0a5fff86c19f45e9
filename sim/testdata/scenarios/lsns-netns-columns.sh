# lsns(8): "NETNSID namespace ID as used by network subsystem", "NSFS
# nsfs mountpoint (usually used network subsystem)": -t net adds both to
# the default columns; "-W, --nowrap: Do not use multi-line text
# representation" (NSFS lists each mount point of the namespace's file on
# a line of its own); "-o +LIST" adds columns to the default ones. Widths
# follow libsmartcols' hints (PID and TYPE at least five wide once a cell
# fills the header).
lsns -t net
lsns -t net -t uts -o +PATH
lsns -t net -r
lsns -t user
lsns -t uts -o TYPE,NS
ip netns add a
touch /tmp/x /tmp/y
mount --bind /run/netns/a /tmp/x
mount --bind /tmp/x /tmp/y
ip netns exec a sh -c 'lsns -t net -p $$ -o NS,TYPE,NETNSID,NSFS,NPROCS
lsns -t net -p $$ -o NS,NETNSID,NSFS -W
lsns -t net -p $$ -o NS,NSFS,NETNSID -r
lsns -t net -p $$ -o NSFS,TYPE -J'
umount /tmp/y
ip netns exec a sh -c 'lsns -t net -p $$ -o NS,NSFS,TYPE'
unshare -p -f --mount-proc sh -c 'sleep 1 & sleep 1 & sleep 0.3; lsns -t pid -o PID,PPID,TYPE,NS; lsns -t pid -l -o PID,PPID,NS,NPROCS'
lsns -o NS,Foo; echo "status $?"
lsns -o +ns,path -t time -n | wc -w
