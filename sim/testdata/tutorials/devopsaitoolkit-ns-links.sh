# Source: "Understanding Linux Namespaces with unshare and nsenter",
# devopsaitoolkit.com,
# https://devopsaitoolkit.com/blog/understanding-linux-namespaces-with-unshare-and-nsenter/,
# section "What a Namespace Actually Is": a process's namespaces are the
# links in /proc/PID/ns, and the same link target means the same
# namespace.
# Adapted: `ls -l` is cut to the link names and targets (the rest is the
# clock); lsns's PID column is marked as a lab host PID (@), and its
# output goes to a file first (whether the sed of a pipeline has exec'd
# when lsns counts the processes is a race).
lsns -t net >/tmp/lsns.out
sed 's/^\( *[0-9]* *[a-z]* *[0-9]* *\)\([0-9][0-9]*\)/\1@\2/' /tmp/lsns.out
ls -l /proc/self/ns | sed 's/.* \([a-z_]* -> \)/\1/'
ls -l /proc/$$/ns | sed 's/.* \([a-z_]* -> \)/\1/'
