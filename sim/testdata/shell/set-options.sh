# shells: dash bash
# source: POSIX.1-2017 XCU set, -e -u -x and "set -o"
set -x; echo traced; set +x
set -u; echo ${unsetvar-dflt}; set +u
(set -e; false; echo not reached); echo "sub $?"
set -o | grep -E '^(errexit|nounset|xtrace)'
