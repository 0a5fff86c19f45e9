# Network devices belong to one network namespace; a veth pair joins two
# ends (addresses are random, so they are cut away).
unshare -n sh -c 'ip link add v0 type veth peer name v1; ip link set v0 up; ip -br link | cut -c1-32; ip addr add 10.0.0.1/24 dev v0; ip -br addr | cut -c1-40; ip link del v1; ip -br link | cut -c1-32'
ip link show v0; echo status=$?
unshare -n ip link add d0 type dummy; echo status=$?
