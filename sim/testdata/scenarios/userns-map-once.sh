# "Defining a mapping is a one-time operation per namespace": a second
# write of uid_map fails.
unshare -r sh -c 'echo "0 0 1" > /proc/self/uid_map; echo status=$?'
