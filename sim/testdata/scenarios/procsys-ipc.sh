# ipc_namespaces(7): "The /proc interfaces ... /proc/sys/kernel/msgmax,
# msgmnb, msgmni, sem, shmall, shmmax, shmmni, and shm_rmid_forced ...
# /proc/sys/fs/mqueue ... are distinct in each IPC namespace." A new IPC
# namespace starts with the kernel's defaults; the files are owned by the
# root of the namespace's owner, who may write them (ipc_permissions).
exec 2>&1
cd /proc/sys
for f in kernel/msgmni kernel/msgmax kernel/msgmnb kernel/shmmax kernel/shmall kernel/shmmni kernel/sem kernel/shm_rmid_forced; do echo "$f $(cat $f)"; done
ls fs/mqueue; cat fs/mqueue/*
echo 100 > kernel/msgmni; echo st=$? $(cat kernel/msgmni)
unshare -i sh -c 'cat kernel/msgmni fs/mqueue/queues_max; echo 5 > kernel/msgmni; echo 7 > fs/mqueue/queues_max; cat kernel/msgmni fs/mqueue/queues_max'
cat kernel/msgmni fs/mqueue/queues_max
unshare -Ui sh -c 'id -u; cat kernel/msgmni; echo 5 > kernel/msgmni; echo st=$?; cat kernel/msgmni'
unshare -Uri sh -c 'ls -l kernel/msgmni fs/mqueue | cut -c1-25; cat kernel/msgmni; echo 5 > kernel/msgmni; echo st=$?; cat kernel/msgmni'
unshare -U sh -c 'echo 1 > /proc/sys/kernel/msgmni; echo st=$?; cat /proc/sys/kernel/msgmni'
su nobody -s /bin/sh -c 'echo 1 > /proc/sys/kernel/msgmni; echo st=$?' 2>&1 | sed 's/^-*sh: [0-9]*: //'
echo "1 2 3 4" > kernel/sem; cat kernel/sem; echo 5 > kernel/sem; cat kernel/sem; echo "1 2 3 40000" > kernel/sem; echo st=$?
echo abc > kernel/msgmni; echo st=$?; echo -5 > kernel/msgmni; echo st=$?; echo 40000 > kernel/msgmni; echo st=$?; echo " 9  8" > kernel/msgmni; cat kernel/msgmni
echo 0 > fs/mqueue/queues_max; echo st=$?; echo 100000 > fs/mqueue/msg_max; echo st=$?; echo 64 > fs/mqueue/msgsize_max; echo st=$?; cat fs/mqueue/msg_max fs/mqueue/msgsize_max
bash -c 'echo x > /proc/sys/kernel/shmmni; echo st=$?'
