# Source: unshare(1) (util-linux 2.38), EXAMPLES, sixth example:
# --kill-child kills the PID namespace's processes when unshare is killed.
# Adapted: the job runs in the background of this non-interactive shell
# (set +m as on the page; no job number is printed); half a second passes
# before ps and pidof look at it. ps a lists only processes with a
# terminal, and the lab's non-interactive run has none. pidof prints lab
# host PIDs, marked with @ (sed) so that only their number and sameness
# count (unshare 2.38 ignores SIGTERM while it waits for its child, so the
# sleeps are still there, unlike the page says).
set +m
unshare --pid --fork --mount-proc --kill-child -- \
       bash --norc -c '(sleep 555 &) && (ps a &) && sleep 999' &
sleep 0.5
ps h -o 'comm' $! # Show that background job is unshare(1)
kill $! # Kill unshare(1)
sleep 0.5
pidof sleep | sed 's/[0-9][0-9]*/@&/g'
