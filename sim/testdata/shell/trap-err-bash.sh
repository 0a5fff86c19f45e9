# shells: bash
# source: bash(1) trap: "If a sigspec is ERR, the command arg is executed whenever a pipeline ... has a non-zero exit status"
trap 'echo "err $?"' ERR
false
true
trap - ERR
false; echo done
