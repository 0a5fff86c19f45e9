# shells: dash bash
# source: POSIX.1-2017 XCU pwd and cd, EXAMPLES (relative moves in a folder the snippet makes)
mkdir -p a/b; cd a/b; basename "$(pwd)"; cd ..; basename "$PWD"; cd ../a/b/..; basename "$PWD"
