# uts_namespaces(7): a nested UTS namespace copies its parent's host and
# domain names; changes stay in the namespace that made them.
unshare -u sh -c 'hostname outer; domainname outerdom; unshare -u sh -c "hostname; domainname; hostname inner; hostname"; hostname; domainname'
hostname; domainname
