# shells: bash dash
# source: bash(1) RANDOM: "a random integer between 0 and 32767"; dash has no RANDOM
r=$RANDOM; [ -n "$r" ] && [ "$r" -ge 0 ] && [ "$r" -le 32767 ] && echo in-range
RANDOM=42; a=$RANDOM; RANDOM=42; b=$RANDOM; [ "$a" = "$b" ] && echo seeded-same
