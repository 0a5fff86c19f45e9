# More shell: functions, while loops, redirections, here-documents,
# parameter expansion, and errors.
f() { echo "in f: $1 $#"; }
f one two
i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo i=$i
echo to-file > /tmp/x; cat /tmp/x; echo more >> /tmp/x; wc -l < /tmp/x
cat <<END
here $i
END
v=/usr/bin/file.txt; echo ${v##*/} ${v%.txt} ${unset:-default} ${#v}
cat /nonexistent 2>&1 | sed 's/x/x/' 2>/dev/null || echo nosed
ls /nonexistent 2>/dev/null; echo status=$?
echo "$(echo a; echo b)"
set -- x y z; echo $# $2 "$@"
exit 3
