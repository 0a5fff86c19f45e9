# user_namespaces(7): an ID with no mapping reads as the overflow ID 65534,
# and a process that execs with no mapped root loses its capabilities.
unshare -U sh -c 'id; grep -E "^(Uid|Gid|CapEff|CapPrm)" /proc/self/status; cat /proc/self/uid_map | wc -l'
