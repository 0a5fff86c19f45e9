# pgrep(1): "pgrep looks through the currently running processes and lists
# the process IDs which match the selection criteria to stdout"; pkill
# signals them; pidof(8) "finds the process id's (pids) of the named programs".
unshare -pf --mount-proc sh -c '
sleep 100 & sleep 200 & sleep 0.1
pgrep sleep; echo rc=$?
pgrep -l sle; pgrep -a sleep; pgrep -f "sleep 2"; pgrep -c sleep; pgrep -n sleep; pgrep -o sleep
pgrep -d, sleep; pgrep -x slee; echo rc=$?; pgrep -c nosuch; echo rc=$?
pgrep -P 1 -l; pgrep -u root -x sh; pgrep -v -x sleep
pidof sleep; pidof -s sleep; pidof sh; pidof nosuch; echo rc=$?; pidof /usr/bin/sleep
pkill -e -f "sleep 1"; echo rc=$?; sleep 0.1; pgrep -a sleep
pkill -9 sleep; echo rc=$?; sleep 0.1; pgrep sleep; echo rc=$?
pkill sleep; echo rc=$?
pgrep; echo rc=$?; pgrep a b; echo rc=$?; pgrep "("; echo rc=$?
pgrep -u nosuchuser x; echo rc=$?
pgrep -z 2>&1 | head -3; pkill -BOGUS x 2>&1 | head -4; pidof -Z x; echo rc=$?
'
