# ., source, local and which.
which unshare ip sudo nosuch; echo status=$?
. /etc/os-release; echo $ID $VERSION_ID
f() { local x=1; echo $x; }; f; env | grep -c "^x="
bash -c 'source /etc/os-release; echo $ID; source /nope; echo $?'
. /nonexistent; echo unreached
