# test and [, as dash has them.
[ -e /proc/self ] && echo exists
[ -d /etc ] && [ ! -f /etc ] && echo dir
[ abc = abc ] && echo equal
[ 3 -lt 10 ] && echo less
[ -z "" ] && [ -n x ] && echo strings
test 1 -eq x; echo status=$?
[ 1 = 1; echo status=$?
[ -L /bin ] && echo link
