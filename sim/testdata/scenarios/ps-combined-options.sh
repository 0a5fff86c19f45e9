# procps takes -eo as -e -o, -ef as -e -f and -eF as -e -F; -C selects by
# command name, -u by user; "-aux" is read as BSD aux. (Output goes to a
# file first: whether a pipeline's next command has exec'd when ps reads
# /proc is a race. The cuts leave out the start time, and C and %CPU: CPU
# time over time alive, which for ps itself depends on the machine's
# load; the simulator shows 0.)
unshare -Urpf --mount-proc sh -c 'ps -eo pid=,args=; ps -ef >/tmp/o; cut -c1-20,49- /tmp/o; ps -eF >/tmp/o; tr -s " " </tmp/o | cut -d" " -f1-3,9-; ps -aux >/tmp/o; cut -c1-17,66- /tmp/o; ps -o pid= -C sh,ps; ps -C nosuch; echo status=$?; ps -u root -o pid=,comm=; ps -eocomm= -p 1; ps -ww -o pid,args'
