# ps user columns inside user namespaces with and without mappings.
unshare -rpf --mount-proc sh -c 'unshare -U sleep 5 & sleep 0.5; ps -o user,group,comm; ps -o uid,gid,comm; kill $!'
