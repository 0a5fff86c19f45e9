# A new network namespace's loopback is down; ip link set lo up brings up
# 127.0.0.1, and ip -br addr shows both.
unshare -n sh -c 'ip -br addr; ip link set lo up; ip -br addr; ip -br link; ip link set bogus up; echo status=$?'
