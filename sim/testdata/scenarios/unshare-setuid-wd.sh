# unshare(1): -S and -G set the user and group ID in the new user
# namespace (needing a mapping for them), -w sets the working directory.
mkdir -p /tmp/there
unshare -r -S 0 -G 0 id
unshare --map-user=0 --map-group=0 --setuid 0 sh -c 'id -u'
unshare -r -S 5 id; echo status=$?
unshare -w /tmp/there pwd
unshare --wd=/nonexistent pwd; echo status=$?
