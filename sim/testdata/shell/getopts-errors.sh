# shells: dash bash
# source: POSIX.1-2017 XCU getopts: unknown options and missing arguments, with and without a leading ":"
set -- -x -b
while getopts ab: o; do echo "o=$o OPTARG=${OPTARG-unset}"; done; echo "end $? $OPTIND"
OPTIND=1; set -- -x -b
while getopts :ab: o; do echo "o=$o OPTARG=${OPTARG-unset}"; done
OPTIND=1; set -- -ab1 -- -a
while getopts ab: o; do echo "o=$o OPTARG=${OPTARG-unset}"; done; echo "OPTIND=$OPTIND"
