# shells: bash
# source: bash(1) "pipefail": the status of the rightmost command that failed
false | true; echo $?
set -o pipefail
false | true; echo $?
(exit 3) | (exit 4) | true; echo $?
set +o pipefail; false | true; echo $?
true | false; echo ${PIPESTATUS[@]}
