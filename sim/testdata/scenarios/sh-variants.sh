# sh -c with a name and arguments; $0 and positional parameters.
sh -c 'echo $0 $1 $2 $#' name a b
sh -c 'echo "$@"' - x "y z"
bash -c 'echo $0; nosuch' bashname
echo $0
env -i sh -c env
sh -c 'exit 4'; echo $?
sh -c 'readlink /proc/$$/exe'
echo ~ ~/x ~root ~nobody/y ~nosuch "~" a~b; cd ~; pwd
