# shells: dash bash
# source: POSIX.1-2017 XCU umask, examples ("umask a=rx,ug+w", "umask 002")
umask; umask 077; umask; umask 002; umask; umask -S; umask a=rx,ug+w; umask
umask 077; echo x > f; ls -l f | cut -c1-10
umask 8; echo $?
