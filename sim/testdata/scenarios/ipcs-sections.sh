# ipcs(1): each section starts with a blank line and the listing ends with
# one, so an empty section is followed by one blank line; -a asks for all
# three sections whatever else is given.
unshare -i sh -c '
ipcs; ipcs -q; ipcs -m -s; ipcs -s -q
ipcmk -Q >/dev/null; ipcmk -M 100 >/dev/null; ipcmk -S 2 >/dev/null
ipcs | cut -c12-; ipcs -m -q | cut -c12-; ipcs -a -s | cut -c12-; ipcs -s | cut -c12-
'
