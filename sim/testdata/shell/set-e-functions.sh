# shells: dash bash
# source: POSIX.1-2017 XCU set -e: ignored in a condition, applies in a function's body otherwise
set -e
f() { false; echo "not reached in f"; }
if f; then echo "f in a condition went on"; fi
g() { return 3; }
g || echo "g failed: $?"
f
echo not reached
