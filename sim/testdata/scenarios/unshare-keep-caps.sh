# unshare(1) --keep-caps: an unmapped user namespace's process keeps its
# capabilities across exec in the ambient set.
unshare -U grep -E '^Cap(Eff|Amb)' /proc/self/status
unshare -U --keep-caps grep -E '^Cap(Eff|Amb)' /proc/self/status
