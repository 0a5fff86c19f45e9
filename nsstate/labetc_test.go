package nsstate

import (
	"strconv"
	"strings"
	"testing"
)

// The curated /etc must parse as the real tools parse it: seven fields per
// passwd line, four per group line, nine per shadow line, and the student
// account as the contract says.
func TestLabEtcFiles(t *testing.T) {
	files := map[string]LabFile{}
	for _, f := range LabEtcFiles() {
		if _, dup := files[f.Path]; dup {
			t.Fatalf("%s listed twice", f.Path)
		}
		files[f.Path] = f
	}
	fields := map[string]int{"/etc/passwd": 7, "/etc/group": 4, "/etc/shadow": 9, "/etc/gshadow": 4, "/etc/subuid": 3, "/etc/subgid": 3}
	for path, n := range fields {
		f, ok := files[path]
		if !ok {
			t.Fatalf("%s missing", path)
		}
		for _, line := range strings.Split(strings.TrimSuffix(f.Content, "\n"), "\n") {
			if got := len(strings.Split(line, ":")); got != n {
				t.Errorf("%s: %q has %d fields, want %d", path, line, got, n)
			}
		}
	}
	want := StudentName + ":x:" + strconv.Itoa(StudentUID) + ":" + strconv.Itoa(StudentGID)
	if !strings.Contains(files["/etc/passwd"].Content, "\n"+want+":") {
		t.Errorf("/etc/passwd has no %q", want)
	}
	if !strings.Contains(files["/etc/passwd"].Content, ":"+StudentHome+":"+StudentShell+"\n") {
		t.Errorf("/etc/passwd: student's home or shell is not %s, %s", StudentHome, StudentShell)
	}
	if home := files[StudentHome]; !home.Mode.IsDir() || home.UID != StudentUID || home.GID != StudentGID {
		t.Errorf("%s: %+v, want a directory owned by %d:%d", StudentHome, home, StudentUID, StudentGID)
	}
	if !strings.Contains(files["/etc/hosts"].Content, LabHostname) {
		t.Errorf("/etc/hosts does not name the lab host %q", LabHostname)
	}
	if id := strings.TrimSpace(files["/etc/machine-id"].Content); len(id) != 32 {
		t.Errorf("machine-id %q is not 32 hex digits", id)
	}
}
