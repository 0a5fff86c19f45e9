# coreutils' errors for files the lab cannot have.
mkdir /tmp/d /tmp/d; echo status=$?
mkdir -p /tmp/p/q/r && ls /tmp/p/q
rmdir /tmp/p; echo status=$?
rm /tmp/nothing; echo status=$?
rm -f /tmp/nothing; echo status=$?
cat /tmp /nothing; echo status=$?
ls /nothing /tmp/p; echo status=$?
touch /proc/x; echo status=$?
