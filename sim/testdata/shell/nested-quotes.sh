# shells: dash bash
# source: POSIX.1-2017 XCU 2.2 Quoting and 2.6.3 Command Substitution examples
a="x y"
echo "$(echo "$a" | tr ' ' _)" '$a' "\$a" "a\\b" 'it'\''s'
echo "$(printf '%s\n' "one  two")"
echo `echo back\`quoted\``
b=$(cat <<EOF2
in $a
EOF2
)
echo "$b"
