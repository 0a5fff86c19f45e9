package lesson

import (
	"embed"
	"io/fs"
)

// The built-in lessons, in the order a learner meets them: the article
// nslab teaches, then one lesson per namespace type.
//
//go:embed builtin
var builtinFiles embed.FS

// BuiltinOrder is the order the built-in lessons are listed in.
var BuiltinOrder = []string{"namespaces", "pid", "mount", "uts", "ipc", "network", "user", "cgroup", "time"}

// BuiltinFS is the folder of built-in lessons, one subfolder each.
func BuiltinFS() fs.FS {
	sub, err := fs.Sub(builtinFiles, "builtin")
	if err != nil {
		panic(err) // the folder is embedded: it exists
	}
	return sub
}

// Builtin returns the built-in lessons in BuiltinOrder. They are checked
// by the package's tests, so a problem here is a build that must not ship.
func Builtin() ([]*Lesson, error) {
	var ls []*Lesson
	var ps Problems
	for _, name := range BuiltinOrder {
		l, err := Load(BuiltinFS(), name)
		if err != nil {
			ps = append(ps, err.(Problems)...)
			continue
		}
		ls = append(ls, l)
	}
	if len(ps) > 0 {
		return ls, ps
	}
	return ls, nil
}
