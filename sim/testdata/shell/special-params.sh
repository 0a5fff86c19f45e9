# shells: dash bash
# source: POSIX.1-2017 XCU 2.5.2 Special Parameters ("$@" and "$*")
set -- "a b" c
for i in "$@"; do echo "[$i]"; done
for i in "$*"; do echo "[$i]"; done
IFS=,; echo "$*"; unset IFS
echo $# ${#1}
