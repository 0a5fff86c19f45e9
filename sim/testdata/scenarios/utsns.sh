# uts_namespaces(7): a new UTS namespace starts as a copy; changes stay in it.
unshare -u sh -c 'hostname; hostname inner; hostname; uname -n'
hostname
unshare -r hostname nope; echo status=$?
unshare -ru sh -c 'hostname mine && hostname'
