# Source: unshare(1) (util-linux 2.38), EXAMPLES, seventh example: without
# --kill-child the processes of the PID namespace outlive unshare.
# Adapted: the job runs in the background of this non-interactive shell;
# half a second passes before ps and pidof look at it. pidof prints lab
# host PIDs, marked with @ (sed) so that only their number and sameness
# count. ps a shows TTY "?": no terminal.
set +m
unshare --pid --fork --mount-proc -- \
       bash --norc -c '(sleep 555 &) && (ps a &) && sleep 999' &
sleep 0.5
kill $!
sleep 0.5
pidof sleep | sed 's/[0-9][0-9]*/@&/g'
