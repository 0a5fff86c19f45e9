# shells: dash bash
# source: POSIX.1-2017 XCU type and command; dash(1) and bash(1) describe their answers
type echo cat nosuchcmd; echo $?
command -v echo cat; command -v nosuch; echo $?
f(){ echo fn; }; command echo via command; type f | head -1
