# shells: bash
# source: bash(1) Brace Expansion examples ("a{d,c,b}e", "mkdir /usr/local/src/bash/{old,new,dist,bugs}")
echo a{d,c,b}e
echo {1..5} {a..e} {5..1} {01..10..3} x{1,2}{a,b}
mkdir -p d/{old,new,dist,bugs}; ls d
echo {a} {} a{,b} "{x,y}" \{p,q}
