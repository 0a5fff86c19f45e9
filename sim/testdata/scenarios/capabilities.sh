# Capabilities are per user namespace: root of a child namespace cannot
# change the parent's hostname, and an unmapped process has none.
unshare -r sh -c 'grep CapEff /proc/self/status; hostname x; echo status=$?'
unshare -U grep -E "^Cap(Eff|Bnd)" /proc/self/status
