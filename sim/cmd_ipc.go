package sim

import (
	"strconv"
	"strings"
)

// This file holds util-linux's System V IPC tools: ipcmk, ipcs, ipcrm.

// ipcKey makes the key ipcmk makes from random bits: deterministic here,
// so that runs repeat.
func (n *IPCNamespace) ipcKey() int32 {
	n.nextID["key"]++
	x := uint32(n.inode)*2654435761 + uint32(n.nextID["key"])*40503
	return int32(x & 0x7fffffff)
}

func ipcmkProgram(p *Proc) int {
	args := p.Args[1:]
	ns := p.T.ns.ipc
	mode := uint32(0o644)
	var made []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		c := p.T.creds
		obj := &ipcObject{perms: mode, uid: c.EUID, gid: c.EGID, cuid: c.EUID, cgid: c.EGID, ctime: p.K.now / 1e9}
		switch a {
		case "-M", "--shmem":
			if i+1 >= len(args) {
				return usageError(p, "ipcmk", "option requires an argument -- 'M'")
			}
			n, err := strconv.Atoi(args[i+1])
			if err != nil {
				p.Errorf("ipcmk: failed to parse size: '%s'\n", args[i+1])
				return 1
			}
			i++
			obj.kind, obj.size = "shm", n
		case "-Q", "--queue":
			obj.kind = "msg"
		case "-S", "--semaphore":
			if i+1 >= len(args) {
				return usageError(p, "ipcmk", "option requires an argument -- 'S'")
			}
			n, err := strconv.Atoi(args[i+1])
			if err != nil {
				p.Errorf("ipcmk: failed to parse elements: '%s'\n", args[i+1])
				return 1
			}
			i++
			obj.kind, obj.size = "sem", n
		case "-p", "--mode":
			if i+1 < len(args) {
				m, _ := strconv.ParseUint(args[i+1], 8, 32)
				mode = uint32(m)
				i++
			}
			continue
		default:
			return usageError(p, "ipcmk", "invalid option -- '"+strings.TrimLeft(a, "-")+"'")
		}
		obj.perms = mode
		obj.key = ns.ipcKey()
		obj.id = ns.nextID[obj.kind]
		ns.nextID[obj.kind]++
		ns.objects = append(ns.objects, obj)
		switch obj.kind {
		case "shm":
			made = append(made, "Shared memory id: "+itoa(obj.id))
		case "msg":
			made = append(made, "Message queue id: "+itoa(obj.id))
		case "sem":
			made = append(made, "Semaphore id: "+itoa(obj.id))
		}
	}
	if len(made) == 0 {
		p.Errorf("Usage:\n ipcmk [options]\n")
		return 1
	}
	p.Printf("%s\n", strings.Join(made, "\n"))
	return 0
}

func ipcsProgram(p *Proc) int {
	want := map[string]bool{}
	for _, a := range p.Args[1:] {
		switch a {
		case "-m", "--shmems":
			want["shm"] = true
		case "-q", "--queues":
			want["msg"] = true
		case "-s", "--semaphores":
			want["sem"] = true
		case "-a", "--all":
			want["shm"], want["msg"], want["sem"] = true, true, true
		default:
			return usageError(p, "ipcs", "invalid option -- '"+strings.TrimLeft(a, "-")+"'")
		}
	}
	if len(want) == 0 {
		want = map[string]bool{"shm": true, "msg": true, "sem": true}
	}
	ns := p.T.ns.ipc
	un := p.T.creds.UserNS
	var b strings.Builder
	section := func(kind, title, head string, row func(o *ipcObject) string) {
		if !want[kind] {
			return
		}
		// util-linux opens each section with a blank line and ends the
		// whole listing with one, so an empty section is followed by
		// exactly one blank line, as is a full one.
		b.WriteString("\n------ " + title + " --------\n" + head + "\n")
		for _, o := range ns.objects {
			if o.kind == kind {
				b.WriteString(row(o) + "\n")
			}
		}
	}
	owner := func(o *ipcObject) string { return userName(p.K, p.T, un.MungedUID(o.uid)) }
	section("msg", "Message Queues", "key        msqid      owner      perms      used-bytes   messages    ", func(o *ipcObject) string {
		return sprintf("0x%08x %-10d %-10s %-10o %-12d %-12d", uint32(o.key), o.id, owner(o), o.perms, 0, 0)
	})
	section("shm", "Shared Memory Segments", "key        shmid      owner      perms      bytes      nattch     status      ", func(o *ipcObject) string {
		return sprintf("0x%08x %-10d %-10s %-10o %-10d %-10d %-13s", uint32(o.key), o.id, owner(o), o.perms, o.size, 0, "")
	})
	section("sem", "Semaphore Arrays", "key        semid      owner      perms      nsems     ", func(o *ipcObject) string {
		return sprintf("0x%08x %-10d %-10s %-10o %-10d", uint32(o.key), o.id, owner(o), o.perms, o.size)
	})
	b.WriteString("\n")
	p.Stdout().Write([]byte(b.String()))
	return 0
}

func ipcrmProgram(p *Proc) int {
	args := p.Args[1:]
	ns := p.T.ns.ipc
	status := 0
	if len(args) == 1 && (args[0] == "-a" || args[0] == "--all") {
		ns.objects = nil
		return 0
	}
	for i := 0; i+1 < len(args); i += 2 {
		kind := map[string]string{"-m": "shm", "-q": "msg", "-s": "sem", "-M": "shm", "-Q": "msg", "-S": "sem"}[args[i]]
		if kind == "" {
			return usageError(p, "ipcrm", "invalid option -- '"+strings.TrimLeft(args[i], "-")+"'")
		}
		byKey := args[i][1] >= 'A' && args[i][1] <= 'Z'
		n, err := strconv.ParseInt(args[i+1], 0, 64)
		if err != nil {
			p.Errorf("ipcrm: failed to parse argument: '%s'\n", args[i+1])
			return 1
		}
		found := false
		for j, o := range ns.objects {
			if o.kind == kind && (byKey && int64(o.key) == n || !byKey && int64(o.id) == n) {
				ns.objects = append(ns.objects[:j], ns.objects[j+1:]...)
				found = true
				break
			}
		}
		if !found {
			if byKey {
				p.Errorf("ipcrm: invalid key (%s)\n", args[i+1])
			} else {
				p.Errorf("ipcrm: invalid id (%s)\n", args[i+1])
			}
			status = 1
		}
	}
	return status
}
