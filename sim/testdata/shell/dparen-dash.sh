# shells: dash
# source: dash(1) has no (( )) command: it parses as two nested subshells
(( 1 + 1 ))
echo "status $?"
