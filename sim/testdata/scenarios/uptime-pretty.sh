# uptime(1) -p follows CLOCK_BOOTTIME, which a time namespace offsets
# (time_namespaces(7)); -s and plain uptime print the clock (left out).
unshare -T --boottime 300000000 uptime -p | cut -d, -f1-2
unshare -T --boottime 400000000 uptime --pretty | cut -d, -f1-3
unshare -T --boottime 31536000 uptime -p | cut -d, -f1
unshare -T --boottime 86400 uptime | cut -c10-21
uptime -x; echo status=$?
uptime foo; echo status=$?
uptime -V
