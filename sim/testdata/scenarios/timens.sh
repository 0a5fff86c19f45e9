# time_namespaces(7): the caller stays in its time namespace; its children
# enter the new one, with the offsets given.
unshare -T sh -c 'cat /proc/self/timens_offsets'
unshare -T --boottime 86400 --monotonic 3600 cat /proc/self/timens_offsets
