# ipc_namespaces(7): System V objects belong to one IPC namespace.
ipcmk -Q >/dev/null
ipcs -q | tail -n +4 | wc -l
unshare -i sh -c 'ipcs -q | tail -n +4 | wc -l; ipcmk -M 4096; ipcs -m | tail -n +4 | cut -c12-'
ipcs -m | tail -n +4 | wc -l
