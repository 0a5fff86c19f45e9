package sim

import "strings"

// This file looks up user and group names in the lab's /etc/passwd and
// /etc/group, as getpwuid(3) and getgrgid(3) do for the tools.

func lookupName(k *Kernel, t *Task, file string, id uint32) (string, bool) {
	data, err := k.readFile(t, file)
	if err != nil {
		return "", false
	}
	want := itoa(int(id))
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 3 && f[2] == want {
			return f[0], true
		}
	}
	return "", false
}

// userName returns the user name of uid, or the number.
func userName(k *Kernel, t *Task, uid UID) string {
	if n, ok := lookupName(k, t, "/etc/passwd", uint32(uid)); ok {
		return n
	}
	return itoa(int(uid))
}

// groupName returns the group name of gid, or the number.
func groupName(k *Kernel, t *Task, gid GID) string {
	if n, ok := lookupName(k, t, "/etc/group", uint32(gid)); ok {
		return n
	}
	return itoa(int(gid))
}

// userID looks a user name up, accepting numbers.
func userID(k *Kernel, t *Task, name string) (uint32, bool) {
	if n := atoiDefault(name, -1); n >= 0 && name != "" {
		return uint32(n), true
	}
	data, err := k.readFile(t, "/etc/passwd")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 3 && f[0] == name {
			return uint32(atoiDefault(f[2], 0)), true
		}
	}
	return 0, false
}
