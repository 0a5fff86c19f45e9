# lsns(8): -J prints JSON (the process tree nested in "children" unless
# -l), -T[=owner|parent|process] draws namespaces under their owner or
# parent, adding the owners it learns of as rows with no process. Each
# listing keeps to one namespace per tree level: rows of a level follow
# inode numbers, which the kernel hands out in no fixed order (so the
# process tree's nesting, which follows that order, is left to -J -T).
cat > /tmp/s <<'END'
unshare -Uu sleep 5 & sleep 0.5
lsns -J -t user -p 2
lsns -J -l -t user -p 2 -o NS,TYPE,NPROCS,PID,PPID,UID,USER,PNS,ONS,COMMAND
lsns -T -t user
lsns -T -t uts -p 2
lsns -J -T -t uts -p 2
lsns -Tparent -t user -o NS,TYPE,NPROCS
lsns --tree=owner -t user -o TYPE,NS
lsns -r -T -t user -o TYPE,NPROCS
lsns -T=foo; echo status=$?
lsns -Tfoo; echo status=$?
kill %1
END
unshare -Urpf --mount-proc sh /tmp/s
