# shells: dash bash
# source: dash(1) Parameter Expansion examples: ${#parameter}, ${parameter%word} and friends on paths
f=/usr/local/lib/libx.so.1.2
echo ${f##*/} ${f%/*} ${f%%.*} ${f#*.} ${#f}
d=; echo "[${d:-empty}] [${d:+set}] [${d-unset}]"
