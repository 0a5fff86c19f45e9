# Source: "Demystifying namespaces and containers in Linux", Seth Kenlon,
# opensource.com (2019-10),
# https://opensource.com/article/19/10/namespaces-and-containers-linux:
# an unprivileged user gets a shell that is root and PID 1 in new user and
# PID namespaces.
# Adapted: the session runs as the lab's student account (su), the
# unshared shell reads its commands from a here-document, and the C and
# start time columns of `ps -ef` are cut.
su student -c 'unshare --user --pid --map-root-user --mount-proc --fork bash' <<'EOF' | cut -c1-24,41-
ps -ef
EOF
