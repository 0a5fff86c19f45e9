# cp(1): "Copy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY"; -r
# copies directories recursively, -p preserves mode, ownership and
# timestamps, -a is -dR --preserve=all.
cd /tmp && mkdir -p src/sub && echo one > src/a && echo two > src/sub/b && chmod 600 src/a
cp src/a c; cat c; ls -l c | cut -c1-10
cp -p src/a cp; ls -l cp | cut -c1-10
cp src d; echo rc=$?
cp -r src d; ls d d/sub; cat d/sub/b
cp -a src e; ls -l e | cut -c1-10; ln -s a src/l; cp -a src f; ls -l f/l | sed 's/.* l ->/l ->/'
cp -r src/l g; readlink g; cat g
cp nosuch x; echo rc=$?; cp; echo rc=$?; cp c; echo rc=$?; cp c c2 nodir; echo rc=$?
cp c c2 d; ls d; cp c c; echo rc=$?; cp -v c v; cp -z c x; echo rc=$?
cp c /proc/x; echo rc=$?; cp c d/sub/b/x; echo rc=$?
echo new > n; cp n c; cat c; cp -r src d; ls d
cp -r src src/in; echo rc=$?; cp -r src n; echo rc=$?; mkdir m; cp c m; cp -r m c; echo rc=$?; cp -p /etc/hostname hn; ls -l hn | cut -c1-24; chmod 000 c; cp c z; echo rc=$?; cp -T c c2 x; echo rc=$?
# cp(1) of a program makes a copy that runs (the "container from scratch"
# tutorials copy /bin/sh into their new root).
mkdir -p /tmp/r/bin && cp /bin/sh /bin/ls /tmp/r/bin/ && /tmp/r/bin/sh -c 'echo copied sh runs'; /tmp/r/bin/ls /tmp/r/bin
cp /bin/ls /tmp/r/bin/ls2; /tmp/r/bin/ls2 -d /tmp/r
