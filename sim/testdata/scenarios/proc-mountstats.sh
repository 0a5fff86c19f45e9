# proc(5): /proc/PID/mountstats "exports information (statistics,
# configuration information) about the mounts in the process's mount
# namespace": "device X mounted on Y with fstype Z" a line, paths escaped
# as in mountinfo; mode 0400.
exec 2>&1
ls -l /proc/self/mountstats | cut -c1-30
cat /proc/self/mountstats
unshare -m sh -c 'mkdir -p "/tmp/a b"; mount -t tmpfs x "/tmp/a b"; grep "a" /proc/self/mountstats; cat /proc/1/mountstats | wc -l; grep -c . /proc/$$/mountstats'
unshare -Ur sh -c 'cat /proc/1/mountstats; echo st=$?'
