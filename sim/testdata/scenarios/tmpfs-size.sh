# A tmpfs holds at most its size=, counted in pages; removing a file gives
# its pages back.
unshare -m sh -c 'mount -t tmpfs -o size=8k small /mnt; echo 12345678901234567890 > /mnt/a; i=0; while [ $i -lt 300 ]; do cat /mnt/a >> /mnt/b || break; i=$((i+1)); done; echo $i; rm /mnt/b; echo x > /mnt/c && echo freed; findmnt -n -o TARGET,SOURCE,FSTYPE /mnt'
