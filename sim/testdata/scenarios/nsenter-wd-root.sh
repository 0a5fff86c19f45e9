# nsenter(1): -r sets the root directory and -w the working directory to
# the target's; --wd=DIR picks a working directory.
mkdir -p /tmp/wd
(cd /tmp/wd && sleep 10) &
sleep 0.2
nsenter -t $! -w pwd
nsenter -t $! --wd=/etc pwd
nsenter -t $! -r -w pwd
kill $!
