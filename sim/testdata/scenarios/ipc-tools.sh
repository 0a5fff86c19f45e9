# ipcmk, ipcs and ipcrm in a new IPC namespace.
unshare -i sh -c 'ipcmk -M 100 -Q -S 3; ipcs -m | tail -n +4 | cut -c12-; ipcs -s | tail -n +4 | cut -c12-; ipcrm -m 0; ipcrm -q 7; echo status=$?; ipcs -m; sed "s/^ *-*[0-9]* *//" /proc/sysvipc/sem | tr -s " " | cut -d" " -f1-8'
