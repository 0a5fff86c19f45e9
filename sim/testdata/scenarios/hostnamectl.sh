# hostnamectl(1) talks to systemd-hostnamed over D-Bus; the lab's PID 1 is
# not systemd, so every command fails before its verb is looked at.
hostnamectl; echo rc=$?; hostnamectl status; echo rc=$?; hostnamectl set-hostname x; echo rc=$?
hostnamectl foo; echo rc=$?; hostnamectl --foo; echo rc=$?; hostnamectl -z; echo rc=$?; hostnamectl -H; echo rc=$?
hostnamectl --static; echo rc=$?; hostnamectl --version; hostnamectl --help | head -5
