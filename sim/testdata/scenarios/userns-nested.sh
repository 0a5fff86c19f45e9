# Nested user namespaces: each level maps root to the level above.
unshare -r unshare -r sh -c 'id; cat /proc/self/uid_map; unshare -U id'
