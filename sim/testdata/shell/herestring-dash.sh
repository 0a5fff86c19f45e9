# shells: dash
# source: dash(1): "<<<" is a here-document redirection followed by "<"
cat <<< x
echo "status $?"
