# unshare(1) --setgroups deny|allow and /proc/PID/setgroups: "allow" is
# the default, and once "deny" it stays denied in descendants.
unshare -U cat /proc/self/setgroups
unshare -U --setgroups deny cat /proc/self/setgroups
unshare -U --setgroups deny unshare -U cat /proc/self/setgroups
unshare -U --setgroups bogus true; echo status=$?
