# nsenter(1) errors: no target, a target that does not exist, and setns(2)
# refusing a namespace.
nsenter -u hostname; echo status=$?
nsenter -t 99999 -u hostname; echo status=$?
nsenter --bogus; echo status=$?
unshare -r nsenter -t 1 -u hostname; echo status=$?
