# Source: "How Container Filesystem Works: Building a Docker-like
# Container From Scratch", Ivan Velichko, iximiuz Labs (2023),
# https://labs.iximiuz.com/tutorials/container-filesystem-from-scratch,
# section "What exactly does Mount Namespace isolate?": a new mount
# namespace does not hide the host's files, only its mounts.
# Adapted: Terminal 1's `sudo unshare --mount bash` reads its commands
# from a here-document and waits a moment for Terminal 2, whose command
# runs in the background meanwhile.
(sleep 0.5; echo "Hello from host's mount namespace" | sudo tee /opt/marker.txt) &
sudo unshare --mount bash <<'EOF'
sleep 1
cat /opt/marker.txt
EOF
wait
