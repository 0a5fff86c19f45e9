# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 3: PID
# namespaces", https://lwn.net/Articles/531419/ — pidns_init_sleep.c: the
# child in a new PID namespace has PID 1 and parent PID 0, and a procfs it
# mounts at /proc2 shows only its namespace.
# Adapted: the C program is replaced by "unshare --pid --fork" running a
# shell that prints $$ and $PPID (getpid, getppid) and mounts the procfs
# at /proc2, then sleeps while the lab's shell lists /proc2 and reads
# /proc2/self, as the article does from the parent's side.
mkdir /proc2
unshare --pid --fork sh -c 'echo "childFunc(): PID  = $$"; echo "childFunc(): PPID = $PPID"; mount -t proc proc /proc2; sleep 2' &
sleep 0.5
ls -d /proc2/[1-9]*
readlink /proc2/self
echo status=$?
wait
