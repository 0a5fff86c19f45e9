# capsh(1) --print: "Display prevailing capability and related state"; the
# lab's root has a reduced bounding set and no_new_privs, a new user
# namespace gives all capabilities (user_namespaces(7)), an unmapped
# process loses them on execve.
which capsh
capsh --print; echo rc=$?
unshare -U capsh --print; echo rc=$?; unshare -r capsh --print | head -4; unshare -r capsh --current
capsh --current; capsh --decode=0000003fffffffff; capsh --decode=0x20; capsh --decode=0x30000000000
capsh --has-p=cap_mknod; echo rc=$?; capsh --has-p=cap_kill; echo rc=$?; capsh --has-b=cap_mknod; echo rc=$?
capsh --has-no-new-privs; echo rc=$?; capsh --has-i=cap_kill; echo rc=$?; capsh --has-a=cap_kill; echo rc=$?
capsh --supports=cap_bpf; echo rc=$?; capsh --supports=cap_foo; echo rc=$?; capsh; echo rc=$?
capsh -- -c 'echo hi'; echo rc=$?; capsh --foo | head -2; echo rc=$?
unshare -U --keep-caps capsh --print | head -2
