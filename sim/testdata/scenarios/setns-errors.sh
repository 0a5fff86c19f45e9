# setns(2): "EPERM: The calling thread did not have the required
# capability" — a child user namespace's root cannot even open the lab
# host's namespace files (ptrace access), and "reassociating with the
# current user namespace" is EINVAL.
unshare -r nsenter -t $$ -n true 2>&1 | sed 's,/proc/,/proc/@,'
unshare -r nsenter -t $$ -m true 2>&1 | sed 's,/proc/,/proc/@,'
nsenter -t $$ -U true; echo status=$?
nsenter --user=/proc/self/ns/user true; echo status=$?
