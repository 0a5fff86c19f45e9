# lsns(8): -t limits to one type, -p to the namespaces of one process, -n
# drops the heading, -r prints raw columns; an unknown type is an error.
# (Rows are sorted and COMMAND left out: lsns orders rows by inode
# number, which the kernel recycles, and its process tree follows that
# order.)
unshare -Urpf --mount-proc sh -c 'unshare -u sleep 5 & sleep 0.5; lsns -n -t uts -o TYPE,NPROCS,PID | sort; lsns -p $! -o TYPE -n | sort; lsns -r -t pid -o TYPE,NPROCS; lsns -t bogus; echo status=$?'
