# unshare(1) errors, as util-linux prints them.
unshare --bogus; echo status=$?
unshare -z; echo status=$?
unshare -r nosuch; echo status=$?
unshare -U unshare -m true; echo status=$?
unshare --propagation sideways -m true; echo status=$?
