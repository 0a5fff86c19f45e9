# namespaces(7): "/proc/sys/user/max_*_namespaces ... a limit (per user)
# on the number of namespaces of the corresponding type that may be created
# in a user namespace", checked "in every user namespace up to the initial"
# one; past it, "unshare: unshare failed: No space left on device" (ENOSPC).
# A new user namespace's limits are INT_MAX; writing them needs
# CAP_SYS_RESOURCE in it.
exec 2>&1
cd /proc/sys/user
ls -l | cut -c1-25; for f in *; do echo $f $(cat $f); done
echo 3 > max_user_namespaces; echo st=$?
unshare -U sh -c 'cat max_pid_namespaces; echo 1 > max_user_namespaces; echo st=$?'
unshare -Ur sh -c 'for f in *; do echo $f $(cat $f); done'
unshare -Ur sh -c 'echo abc > max_user_namespaces; echo st=$?; echo -1 > max_user_namespaces; echo st=$?; echo " 5 " > max_user_namespaces; cat max_user_namespaces; printf 7 > max_user_namespaces; cat max_user_namespaces; echo 2147483648 > max_user_namespaces; echo st=$?; echo "3 4" > max_user_namespaces; cat max_user_namespaces; echo 9x > max_user_namespaces; echo st=$?; cat max_user_namespaces'
unshare -Ur sh -c 'echo 1 > max_user_namespaces; unshare -U true; echo st=$?; unshare -U unshare -U true; echo st=$?; unshare -U sh -c "unshare -U true"; echo st=$?'
unshare -Ur sh -c 'echo 0 > max_pid_namespaces; unshare -pf true; echo st=$?; unshare -Ur sh -c "cat max_pid_namespaces; unshare -pf true"; echo st=$?; unshare -m true; echo st=$?'
unshare -Ur sh -c 'echo 2 > max_mnt_namespaces; unshare -m unshare -m true; echo st=$?; unshare -m unshare -m unshare -m true; echo st=$?; unshare -mi true; echo st=$?'
unshare -Ur sh -c 'echo 0 > max_ipc_namespaces; unshare -mi true; echo st=$?; unshare -m true; echo st=$?'
unshare -Ur sh -c 'echo 0 > max_net_namespaces; unshare -n true; echo st=$?; echo 0 > max_uts_namespaces; unshare -u true; echo st=$?; echo 0 > max_cgroup_namespaces; unshare -C true; echo st=$?; echo 0 > max_time_namespaces; unshare -T true; echo st=$?'
