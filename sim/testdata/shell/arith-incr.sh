# shells: bash
# source: bash(1) ARITHMETIC EVALUATION: "id++ id-- ++id --id"
i=5; echo $((i++)) $i $((++i)) $((i--)) $((--i)) $i; echo $((2**10)) $((-7/2)) $((0x1f)) $((010)) $((2#101))
