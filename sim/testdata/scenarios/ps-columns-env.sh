# procps cuts its lines to the width in COLUMNS (or the terminal's, on a
# terminal); w asks for unlimited width.
unshare -pf --mount-proc sh -c 'COLUMNS=40 ps -o pid,args; COLUMNS=30 ps -o pid,comm,args; COLUMNS=40 ps -ww -o pid,args >/tmp/o; wc -L </tmp/o'
