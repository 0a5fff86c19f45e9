# shells: dash bash sh
# source: POSIX.1-2017 XCU 2.7.4 Here-Document ("the here-document starts
# after the next <newline> and continues until there is a line containing
# only the delimiter"), for a shell that reads its commands from standard
# input a line at a time (the issue: su USER <<'OUTER' with here-documents
# inside)
printf 'cat <<EOF\none $((1+1))\nEOF\necho after\ncat <<-X; echo same line\n\ttabbed\n\tX\n' | dash
printf 'cat <<EOF\none $((1+1))\nEOF\necho after\ncat <<"X" | tr a-z A-Z\n$HOME\nX\n' | bash
