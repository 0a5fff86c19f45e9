# MS_UNBINDABLE: "a bind mount of an unbindable mount fails" (EINVAL).
mkdir -p /tmp/u /tmp/v
unshare -m sh -c 'mount -t tmpfs u /tmp/u; mount --make-unbindable /tmp/u; findmnt -n -o TARGET,PROPAGATION /tmp/u; mount --bind /tmp/u /tmp/v; echo status=$?; mount --make-private /tmp/u; mount --bind /tmp/u /tmp/v; findmnt -n -o TARGET,SOURCE /tmp/v'
