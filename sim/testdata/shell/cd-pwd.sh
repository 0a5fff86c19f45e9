# shells: dash bash
# source: POSIX.1-2017 XCU cd and pwd (relative to the lab host's /root, which both shells see)
cd /; pwd; cd /tmp; pwd; cd -; echo $OLDPWD; cd /nonexistent; echo $?
cd /etc/passwd; echo $?
