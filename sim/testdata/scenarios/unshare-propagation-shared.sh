# unshare(1) --propagation shared: the new namespace's mounts are shared,
# but in peer groups of their own (a copy is a peer of the original only
# when the original was shared).
findmnt -n -o TARGET,PROPAGATION /tmp
unshare -m --propagation shared findmnt -n -o TARGET,PROPAGATION /tmp
unshare -m --propagation private findmnt -n -o TARGET,PROPAGATION /tmp
unshare -m --propagation bogus true; echo status=$?
