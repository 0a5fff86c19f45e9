# Source: unshare(1) (util-linux 2.38), EXAMPLES, third example:
# --map-auto maps the subordinate IDs of /etc/subuid and /etc/subgid, and
# chown to ID 1 inside shows as the first subordinate ID outside.
# Adapted: the unprivileged user is the lab's "student", run through
# su student -c in its home directory; the interactive shell started by
# unshare is sh -c with the page's "# " commands.
cd /home/student
su student -c 'id -u; cat /etc/subuid'
su student -c "unshare --user --map-auto --map-root-user sh -c 'id -u; cat /proc/self/uid_map; touch file; chown 1:1 file; ls -ln --time-style=+ file'"
su student -c 'ls -ln --time-style=+ file'
