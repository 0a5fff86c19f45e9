# Source: user_namespaces(7) (man-pages 6.03), EXAMPLES, the shell session
# with userns_child_exec.
# Adapted: "uname -rs" is cut to "uname -s" (the release is the kernel
# version); the unprivileged user is the lab's "student" (su student -c);
# the C program "./userns_child_exec -p -m -U -M '0 1000 1' -G '0 1000 1'
# bash" is replaced by the unshare(1) command making the same namespaces
# and maps, "unshare -p -f -m -U --map-root-user bash" (run by UID/GID
# 1000, --map-root-user maps 0 to 1000), whose interactive commands are
# given to bash in a file. The capability masks depend on the kernel's
# number of capabilities (both runs use this machine's kernel).
uname -s
su student -c 'id -u; id -g'
cat > /tmp/session <<'END'
echo $$
mount -t proc proc /proc
ps ax
cat /proc/$$/status | egrep '^[UG]id'
cat /proc/$$/status | egrep '^Cap(Prm|Inh|Eff)'
END
su student -c 'unshare -p -f -m -U --map-root-user bash /tmp/session'
