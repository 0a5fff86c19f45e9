# shells: dash bash
# source: dash(1) "return [exitstatus]"; bash(1) "return ... if not in a function or sourced script ... an error"
return 3; echo after $?
