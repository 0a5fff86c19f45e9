# ls(1): "--time-style=TIME_STYLE: time/date format with -l"; full-iso,
# long-iso, iso, locale, +FORMAT; --full-time is -l --time-style=full-iso.
# The machine's clock differs between runs: digits are cut.
cd /tmp && touch new && digits() { sed 's/[0-9]/N/g'; }
for s in full-iso long-iso iso locale posix-long-iso +%Y/%j '+%H:%M%n%b' '+old
new'; do ls -l --time-style="$s" new | digits; done
ls --full-time new | digits; ls -l --time-style iso new | digits; TIME_STYLE=long-iso ls -l new | digits
ls --time-style=iso new; ls -l --time-style=x new; echo rc=$?; ls -l --time-style; echo rc=$?
ls --nosuch; echo rc=$?; ls -l --full new | digits; ls -l --time-st=long-iso new | digits
