# id's options, in the lab host and in namespaces.
id -u; id -g; id -G; id -un; id -gn
unshare -U id -u
unshare -r id -un
unshare -U sh -c 'id -G; whoami'
