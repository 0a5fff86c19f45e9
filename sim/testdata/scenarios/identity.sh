# The lab host: root in its own user namespace, hostname lab.
id
whoami
hostname
pwd
echo "$HOME $USER $SHELL $TERM $LANG"
