package sim

import (
	"strconv"
	"strings"
)

// devpts instances, as fs/devpts/inode.c makes and remounts them. Options
// are parsed first, uid= and gid= in the caller's user namespace (an ID it
// cannot name is EINVAL), modes in octal; a remount then needs
// CAP_SYS_ADMIN in the user namespace that made the instance (EPERM), and
// resets every option to what it is given (devpts_reconfigure: "the
// default is to reset everything"). The lab host's /dev/pts is made by
// the live engine in the machine's user namespace, so the lab's root can
// remount only the devpts instances it mounts itself. mountinfo shows
// uid= and gid= as the initial user namespace's IDs, when given, then
// mode, ptmxmode and max (when below the kernel's highest).

// devptsMaxPTYs is the kernel's highest max= (NR_UNIX98_PTY_MAX).
const devptsMaxPTYs = 1 << 20

// devptsOptions parses data for t and returns the super options that
// mountinfo shows and the mode of ptmx.
func devptsOptions(t *Task, data string) (opts string, ptmxPerm uint32, err error) {
	out := []string{"rw"}
	var uid, gid, max string
	mode, ptmx := uint64(0o600), uint64(0)
	for _, o := range strings.Split(data, ",") {
		name, val, _ := strings.Cut(o, "=")
		switch name {
		case "", "newinstance":
		case "uid":
			n := atoiDefault(val, -1)
			kid, ok := t.creds.UserNS.MapUID(UID(n))
			if !ok || n < 0 {
				return "", 0, EINVAL
			}
			uid = itoa(int(kid))
		case "gid":
			n := atoiDefault(val, -1)
			kid, ok := t.creds.UserNS.MapGID(GID(n))
			if !ok || n < 0 {
				return "", 0, EINVAL
			}
			gid = itoa(int(kid))
		case "mode", "ptmxmode":
			v, err := strconv.ParseUint(val, 8, 32)
			if err != nil {
				return "", 0, EINVAL
			}
			if name == "mode" {
				mode = v & 0o7777
			} else {
				ptmx = v & 0o7777
			}
		case "max":
			v, err := strconv.ParseUint(val, 10, 32)
			if err != nil || v > devptsMaxPTYs {
				return "", 0, EINVAL
			}
			if v < devptsMaxPTYs {
				max = strconv.FormatUint(v, 10)
			}
		default:
			return "", 0, EINVAL
		}
	}
	if uid != "" {
		out = append(out, "uid="+uid)
	}
	if gid != "" {
		out = append(out, "gid="+gid)
	}
	out = append(out, "mode="+octal3(mode), "ptmxmode="+octal3(ptmx))
	if max != "" {
		out = append(out, "max="+max)
	}
	return strings.Join(out, ","), uint32(ptmx), nil
}

// octal3 is %03o.
func octal3(v uint64) string {
	s := strconv.FormatUint(v, 8)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// newDevpts makes a devpts instance for t, with its ptmx owned by t's fs
// IDs (mknod_ptmx).
func (k *Kernel) newDevpts(t *Task, source, data string) (*superblock, error) {
	opts, perm, err := devptsOptions(t, data)
	if err != nil {
		return nil, err
	}
	sb := k.newSuperblock("devpts", source, opts)
	ptmx := sb.addFile("ptmx", perm, "")
	ptmx.kind, ptmx.rdev = kindChar, [2]int{5, 2}
	ptmx.uid, ptmx.gid = t.creds.FSUID, t.creds.FSGID
	return sb, nil
}

// devptsRemount checks a remount of sb with data for t and returns the
// superblock's new options.
func (k *Kernel) devptsRemount(t *Task, sb *superblock, data string) (string, error) {
	opts, _, err := devptsOptions(t, data)
	if err != nil {
		return "", err
	}
	owner := sb.owner
	if owner == nil {
		owner = t.ns.mnt.owner
	}
	if !t.creds.HasCapabilityIn(CapSysAdmin, owner) {
		return "", EPERM
	}
	return opts, nil
}
