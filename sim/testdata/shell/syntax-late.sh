# shells: dash bash
# source: POSIX.1-2017 XCU 2.10: a shell reads and runs its commands one at a time, so a syntax error on a later line stops it only there
echo first
if then
echo never
