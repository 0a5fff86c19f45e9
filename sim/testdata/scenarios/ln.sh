# ln(1): "create a link to TARGET with the name LINK_NAME"; -s makes a
# symbolic link, -f removes an existing destination, -n treats a link to a
# directory as a normal file.
cd /tmp && mkdir d e && echo hi > f
ln -s f l; readlink l; cat l; ls -l l | cut -c1-10
ln f h; ls -l f h | cut -c1-12; cat h
ln -s f l; echo rc=$?
ln -sf e l; readlink l
ln -s d ld; ln -s e ld; readlink ld/e; ln -sfn e ld; readlink ld
ln -s /nonexistent dangling; ls -l dangling | sed 's/.*dangling/dangling/'
ln f d; ls d; ln -s ../f d/up; cat d/up
ln nosuch x; echo rc=$?; ln d dh; echo rc=$?; ln; echo rc=$?; ln -s; echo rc=$?
ln -z f; echo rc=$?
ln -sv f v; ln -s f g h2 2>&1; echo rc=$?; ln -s f e/; ls -l e
rm h; ls -l f | cut -c1-12
ln -s f /proc/x; echo rc=$?
touch f2 h3; ln f2 h3; ln -f f f; mkdir e2; ln -sfT f e2; ln -T f e x; ln -sv f "a b"; ln -fv f h4; ln -fv f h4
ln -s f; ln -s /tmp/f; ln -s a b c d; ln -s f h/x; ln -sf f h4; ls -l h4 | cut -c1-10; ln nosuch/x y
