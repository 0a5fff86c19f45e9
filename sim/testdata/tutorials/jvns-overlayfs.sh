# Source: "How containers work: overlayfs", Julia Evans, jvns.ca
# (2019-11-18), https://jvns.ca/blog/2019/11/18/how-containers-work--overlayfs/,
# sections "let's make an overlay with mount!", "what happens when you
# create a new file?", "what happens when you delete a file?".
# Adapted: the post's /home/bork/test is the lab's current folder ($PWD);
# the dates `ls -l` shows are masked with sed. The post's `ls -l` after the
# delete names lower1.txt files that the session never made; it is run
# with the files the post's output shows.
mkdir upper lower merged work
echo "I'm from lower!" > lower/in_lower.txt
echo "I'm from upper!" > upper/in_upper.txt
# `in_both` is in both directories
echo "I'm from lower!" > lower/in_both.txt
echo "I'm from upper!" > upper/in_both.txt
sudo mount -t overlay overlay \
    -o lowerdir=$PWD/lower,upperdir=$PWD/upper,workdir=$PWD/work \
    $PWD/merged
cat merged/in_both.txt
find lower/ upper/ merged/
echo 'new file' > merged/new_file
ls -l */new_file | sed 's/ [A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]//'
rm merged/in_both.txt
ls -l upper/in_both.txt lower/in_both.txt merged/in_both.txt | sed 's/ [A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]//'
sudo cp upper/in_both.txt upper/in_lower.txt
