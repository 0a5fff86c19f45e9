# setgroups: "deny" must come before an unprivileged gid_map; a process
# without capabilities may not even open the file for writing.
unshare -U sh -c 'echo deny > /proc/self/setgroups; echo status=$?; cat /proc/self/setgroups'
unshare -r sh -c 'cat /proc/self/setgroups; echo allow > /proc/self/setgroups; echo status=$?'
