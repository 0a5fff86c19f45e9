# user_namespaces(7): every other namespace is owned by a user namespace,
# and capabilities count in the owner. A UTS namespace made by the lab's
# root cannot be changed from a child user namespace, even by its root.
unshare -u sh -c 'hostname outer-uts; unshare -r hostname inner; echo status=$?; hostname'
unshare -ru sh -c 'hostname inner-ok; hostname'
