package sim

import (
	"strings"
	"testing"
)

// su and the lab host's student, as `su` from util-linux 2.38 behaves on
// a Debian 12 lab host with nsstate's /etc.
func TestSu(t *testing.T) {
	cases := []struct {
		script, out string
		status      int
	}{
		{`su - student -c 'id; pwd; echo $HOME $USER $SHELL; echo $PATH'`,
			"uid=1000(student) gid=1000(student) groups=1000(student),24(cdrom),25(floppy),27(sudo),29(audio),30(dip),44(video),46(plugdev),100(users)\n" +
				"/home/student\n/home/student student /bin/bash\n/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games\n", 0},
		// Without "-" the folder and the environment stay, but for the user's own variables.
		{`cd /tmp; FOO=kept su student -c 'pwd; echo $FOO $HOME'`, "/tmp\nkept /home/student\n", 0},
		{`su student -c 'exit 7'`, "", 7},
		{`su nosuch`, "su: user nosuch does not exist or the user entry does not contain all the required fields\n", 1},
		// Only root may su without a password; root's is locked, so su
		// asks for one and refuses it, as `nslab run` shows the real su do.
		{`su student -c 'su - -c id'`, "Password: su: Authentication failure\n", 1},
		{`id student; ls -ld /home/student | cut -d' ' -f1,3,4`, "uid=1000(student) gid=1000(student) groups=1000(student),24(cdrom),25(floppy),27(sudo),29(audio),30(dip),44(video),46(plugdev),100(users)\ndrwxr-x--- student student\n", 0},
		// The article's story: root inside, student's 1000 outside.
		{`su - student -c 'unshare --user --map-root-user sh -c "whoami; cat /proc/self/uid_map"'`, "root\n         0       1000          1\n", 0},
		{`cat /etc/subuid /etc/subgid`, "student:100000:65536\nstudent:100000:65536\n", 0},
	}
	for _, c := range cases {
		lab := NewLab(Options{})
		var out strings.Builder
		st := lab.Run(c.script, &out, &out)
		lab.Close()
		if out.String() != c.out || st != c.status {
			t.Errorf("%s:\ngot  status %d %q\nwant status %d %q", c.script, st, out.String(), c.status, c.out)
		}
	}
}
