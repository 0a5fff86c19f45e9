# shells: dash bash
# source: POSIX.1-2017 XCU readonly: "The values of variables with the readonly attribute cannot be changed by subsequent assignment"
readonly R=5
R=6
echo "not reached $R"
