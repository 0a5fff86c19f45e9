# ipc_namespaces(7): each IPC namespace has its own identifiers; an object
# made in one is invisible in another, and ipcrm there fails.
unshare -i sh -c 'ipcmk -M 64 | cut -d: -f1; ipcs -m | tail -n +4 | wc -l'
ipcmk -S 2 | cut -d: -f1
unshare -i sh -c 'ipcs -s | tail -n +4 | wc -l; ipcrm -s 0; echo status=$?'
ipcs -s | tail -n +4 | wc -l
