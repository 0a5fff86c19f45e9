# shells: dash
# source: dash 0.5.12(1) set -o: dash 0.5.12 has no pipefail option
set -o pipefail
echo not reached
