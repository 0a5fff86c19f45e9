# chmod(1): "changes the file mode bits of each given file according to
# mode, which can be either a symbolic representation of changes to make,
# or an octal number representing the bit pattern for the new mode bits."
cd /tmp && touch f && mkdir d
chmod 755 f; ls -l f | cut -c1-10
chmod 0640 f; ls -l f | cut -c1-10
chmod u+x f; ls -l f | cut -c1-10
chmod go=r f; ls -l f | cut -c1-10
chmod a-r,u+rw f; ls -l f | cut -c1-10
chmod +x f; ls -l f | cut -c1-10
chmod o=u f; ls -l f | cut -c1-10
chmod u=rwx,g=rx,o= f; ls -l f | cut -c1-10
chmod 4755 f; ls -l f | cut -c1-10; chmod 1777 d; ls -ld d | cut -c1-10
chmod g+s,o+t d; ls -ld d | cut -c1-10; chmod -R 700 d; ls -ld d | cut -c1-10
chmod a+X f; chmod 644 f; chmod a+X f d; ls -l f | cut -c1-10
chmod -v 600 f; chmod -c 600 f; chmod -c 644 f
chmod 999 f; echo rc=$?; chmod abc f; echo rc=$?; chmod 755 nosuch; echo rc=$?
chmod; echo rc=$?; chmod 755; echo rc=$?; chmod -z f; echo rc=$?
chmod 644 /proc/self/status; echo rc=$?
unshare -U sh -c 'chmod 600 /tmp/f'; echo rc=$?
chmod 666 f; chmod -w f; echo rc=$?; ls -l f | cut -c1-10; chmod -R u+w d; chmod -rwx,u+r f; ls -l f | cut -c1-10
