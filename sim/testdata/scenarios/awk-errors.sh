# awk(1) (mawk 1.3.4): its messages and exit status for bad programs,
# options, files and run-time errors.
awk 'BEGIN { print ( }'; echo "rc=$?"; awk 'BEGIN { x = }'; echo "rc=$?"
awk 'BEGIN { print "a"
 x = ; }'; echo "rc=$?"; awk '{print'; echo "rc=$?"; awk 'BEGIN { foo( }'; echo "rc=$?"
printf 'x{print\n' > /tmp/p.awk; awk -f /tmp/p.awk; echo "rc=$?"
awk '{ print }' /nonexist; echo "rc=$?"; awk -f /nonexist; echo "rc=$?"
echo x | awk '{ print }' - /nonexist; echo "rc=$?"
awk -q 1; echo "rc=$?"; awk -F; echo "rc=$?"; awk -v; echo "rc=$?"; awk -v x 'BEGIN {}'; echo "rc=$?"
awk -W foo 'BEGIN { print 1 }'; echo "rc=$?"
awk 'BEGIN { print "x" > "/nonexist/a" }'; echo "rc=$?"
awk 'BEGIN { a = "x"; a[1] = 2 }'; echo "rc=$?"; awk 'BEGIN { x[1] = 1; x = 2 }'; echo "rc=$?"
awk 'BEGIN { next }'; echo "rc=$?"; awk 'END { nextfile }'; echo "rc=$?"
awk 'BEGIN { f(1) }'; echo "rc=$?"; awk 'BEGIN { print 2**3 }'; echo "rc=$?"
awk 'BEGIN { printf "%s %s\n", "a" }'; echo "rc=$?"; awk 'BEGIN { printf "%z\n", 1 }'; echo "rc=$?"
echo a | awk '{ print $(-1) }'; echo "rc=$?"
awk 'BEGIN { print 1 % 0, -1 / 0, log(-1) }'; echo "rc=$?"
awk 'BEGIN { exit 3 } END { print "end" }'; echo "rc=$?"; awk 'BEGIN { if (1) }'; echo "rc=$?"
awk 'BEGIN { print length() length }'; awk >/dev/null; echo "rc=$?"
awk 'BEGIN { break }'; awk 'BEGIN { return }'; awk 'function f(a) {} function f(b) {}'
awk 'BEGIN { print "abc }'; awk 'BEGIN { print /abc }'; awk 'BEGIN { print substr(1) }'; echo "rc=$?"
awk 'BEGIN { x = sprintf("%9000s", 1); print length(x) }'; echo "rc=$?"; echo a | awk '{ print $(2^40) "." }'
echo a | awk -W interactive '{ print }'; awk -W foo 'BEGIN { print 2 }' 2>&1
