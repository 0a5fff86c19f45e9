# lsns's PNS and ONS columns come from ioctl(NS_GET_PARENT) and
# ioctl(NS_GET_USERNS), which answer EPERM (shown as 0) for namespaces
# outside the caller's scope.
unshare -Urpf --mount-proc sh -c 'unshare -rpf --mount-proc sh -c "lsns -o NS,TYPE,PNS,ONS,NPROCS >/tmp/l; sort -k2 /tmp/l"; lsns -o TYPE,PNS,ONS >/tmp/m; sort /tmp/m'
lsns -t pid -o TYPE,PNS
