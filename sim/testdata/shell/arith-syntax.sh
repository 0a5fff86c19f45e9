# shells: dash bash
# source: POSIX.1-2017 XCU 2.6.4: "If the expression is invalid ... the expansion fails"
echo $((1 +))
echo next line
