# proc(5) shows the PID namespace of whoever mounted it: without
# --mount-proc, ps in a new PID namespace still sees the lab host's /proc.
unshare -Urpf sh -c 'echo $$; ps -o comm= -p 1'
unshare -Urpf --mount-proc sh -c 'echo $$; ps -o comm= -p 1; ps -e | wc -l'
