# shells: bash
# source: bash(1) "local ... It is an error to use local when not within a function"
local x=1; echo $? ${x-unset}
