# rm (coreutils 9.1): -f, -i answered from standard input, -r/-R, -d, -v,
# --preserve-root, and the errors rm(1) and info rm describe.
mkdir -p /tmp/r/d/e && cd /tmp/r && touch a b c d/x
rm -v a; echo status=$?
rm -x a; echo status=$?
rm --foo a; echo status=$?
rm; echo status=$?
rm -f; echo status=$?
rm nope; echo status=$?
rm -f nope; echo status=$?
rm d; echo status=$?
rm -d d; echo status=$?
mkdir em; rm -dv em; echo status=$?
rm -i b </dev/null; echo status=$?; ls
echo yes | rm -fi c; echo status=$?; ls
echo hello > g; echo n | rm -i g; echo status=$?; ls g
rm -r /; echo status=$?
rm -rf --preserve-root /; echo status=$?
rm --no-preserve-root b; echo status=$?; ls
rm -r .; echo status=$?
rm -r ..; echo status=$?
rm -R d/; echo status=$?
mkdir -p d/e; printf 'y\ny\nn\n' | rm -ri d; echo status=$?; ls d
printf 'y\n' | rm --rec -i d; echo status=$?
rm --recursive --verbose d; echo status=$?; ls
mkdir q; echo n | rm -ri q; echo status=$?; ls
ln -s q l; rm -v l q; echo status=$?
rm -rv q; echo status=$?
