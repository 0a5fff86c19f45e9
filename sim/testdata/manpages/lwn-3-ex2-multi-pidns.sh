# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 3: PID
# namespaces", https://lwn.net/Articles/531419/ — multi_pidns.c: nested
# PID namespaces, each level's procfs mounted at /procN, and the innermost
# process seen with a different PID at each level.
# Adapted: the C program is replaced by three nested "unshare --pid
# --fork" shells, each mounting a procfs on /procN (N = 1, 2, 3) of the
# lab's mount namespace; the innermost sleeps while the lab's shell lists
# each /procN.
mkdir /proc1 /proc2 /proc3
unshare --pid --fork sh -c 'mount -t proc proc /proc1
  unshare --pid --fork sh -c "mount -t proc proc /proc2
    unshare --pid --fork sh -c \"mount -t proc proc /proc3; sleep 2\""' &
sleep 0.5
for n in 1 2 3; do echo /proc$n:; ls -d /proc$n/[1-9]*; done
grep NSpid /proc3/1/status
wait
