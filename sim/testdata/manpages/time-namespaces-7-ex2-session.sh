# Source: time_namespaces(7) (man-pages 6.03), EXAMPLES.
# Adapted: "sudo" dropped; the interactive "bash --norc" that unshare -T
# starts runs the page's ns2# commands with -c; the clock_times program of
# clock_getres(2) is left out (no tool prints those clocks). uptime
# depends on when the machine booted (machine noise): the first and last
# uptime --pretty are cut to their first word, and so is the one in the
# namespace: the offsets cannot be written once bash is in the namespace
# (the page's session writes them from a shell that is not), so it shows
# the machine's uptime too.
readlink /proc/$$/ns/time
uptime --pretty | cut -d" " -f1
unshare -T -- bash --norc -c '
echo "monotonic $((2*24*60*60)) 0" > /proc/$$/timens_offsets
echo "boottime  $((7*24*60*60)) 0" > /proc/$$/timens_offsets
cat /proc/$$/timens_offsets
echo "boottime $((9*24*60*60)) 0" > /proc/$$/timens_offsets
uptime --pretty | cut -d" " -f1
readlink /proc/$$/ns/time
readlink /proc/$$/ns/time_for_children
readlink /proc/self/ns/time   # Creates a child process
'
uptime --pretty | cut -d' ' -f1
