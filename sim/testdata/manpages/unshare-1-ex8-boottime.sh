# Source: unshare(1) (util-linux 2.38), EXAMPLES, last example: a time
# namespace whose boottime clock is set years in the past.
# Adapted: uptime depends on when the machine booted (machine noise), so
# the first uptime -p is reduced to its first word and the second to its
# first two fields (years and weeks), which the 300000000-second offset
# decides.
uptime -p | cut -d' ' -f1             # Show uptime in initial time namespace
unshare --time --fork --boottime 300000000 uptime -p | cut -d, -f1-2
