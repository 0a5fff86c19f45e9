# ps can show each process's namespaces; a child namespace shows new
# numbers, shared ones stay equal.
unshare -Urpf --mount-proc sh -c 'sleep 5 & unshare -u sleep 5 & sleep 0.5; ps -o pid,comm,pidns,userns,utsns,mntns; kill %1 %2'
