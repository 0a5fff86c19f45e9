# ip-route(8): "ip route add ... via ADDRESS - the address of the nexthop
# router"; "ip route get ... gets a single route to a destination and
# prints its contents exactly as the kernel sees it". The kernel adds a
# prefix route for each address of an up device, and drops routes through
# a device that goes down.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip route
ip link set v0 up
ip route
ip link set dev v1 up
ip addr add 10.0.0.2/24 brd + dev v1
ip addr add 10.0.0.3/24 dev v1
ip -4 addr
ip route
ip route add default via 10.0.0.254; echo status=$?
ip route add 192.168.0.0/16 dev v0; echo status=$?
ip route add 172.16.0.0/12 via 10.9.9.9; echo status=$?
ip route add 172.16.0.0/12 via 10.0.0.9 dev nope; echo status=$?
ip route add default via 10.0.0.253; echo status=$?
ip route
ip route get 8.8.8.8
ip route get 192.168.4.4
ip route get 10.0.0.2
ip route get 127.0.0.9
ip route get bad; echo status=$?
ip route del 192.168.0.0/16; echo status=$?
ip route del 192.168.0.0/16; echo status=$?
ip addr del 10.0.0.3/24 dev v1; echo status=$?
ip addr del 10.0.0.3/24 dev v1; echo status=$?
ip addr add 10.0.0.2/24 dev v1; echo status=$?
ip link set v0 down
ip route
ip route get 8.8.8.8; echo status=$?
ip -o -4 addr
ip link set v0 up; sleep 0.3
ip -6 route
ip -4 route
