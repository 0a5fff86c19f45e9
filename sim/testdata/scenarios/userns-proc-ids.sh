# IDs in /proc are shown as the reader's user namespace sees them.
unshare -Urpf --mount-proc sh -c 'unshare -U sleep 5 & sleep 0.5; ps -o user,uid,comm; grep Uid /proc/$!/status; kill $!'
