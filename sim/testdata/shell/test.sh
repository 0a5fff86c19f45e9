# shells: dash bash
# source: POSIX.1-2017 XCU test, EXAMPLES
test 1 -eq 1 && echo eq; [ abc = abc ] && echo streq; [ -z "" ] && echo empty
[ 2 -gt 10 ]; echo $?; [ b \> a ]; echo $?; [ ! -n "" ]; echo $?
[ -d / -a -f /etc/passwd ]; echo $?; [ -e /nonexistent -o 1 = 1 ]; echo $?
[ \( 1 = 1 \) ]; echo $?
[ x -eq 1 ]; echo $?
[ 1 = ]; echo $?
