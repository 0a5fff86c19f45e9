package sim

import (
	"strings"
	"time"
)

// This file is ls's --time-style and --full-time (GNU coreutils 9.1): how
// ls -l shows a file's time. The times are the simulated clock's.

// lsLongOptions takes ls's long options out of args: --time-style=STYLE
// (or STYLE as the next argument), --full-time (-l with full-iso). It
// returns the remaining arguments, the style (TIME_STYLE when no option
// gives one), whether -l is implied, and an exit status >= 0 when an
// option was wrong (its message printed).
func lsLongOptions(p *Proc, args []string) ([]string, string, bool, int) {
	var rest []string
	style, long := p.Getenv("TIME_STYLE"), false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if !strings.HasPrefix(a, "--") {
			rest = append(rest, a)
			continue
		}
		name, val, has := strings.Cut(a[2:], "=")
		switch {
		case name != "" && strings.HasPrefix("time-style", name) && len(name) >= 3:
			if !has {
				if i+1 >= len(args) {
					p.Errorf("ls: option '--time-style' requires an argument\nTry 'ls --help' for more information.\n")
					return nil, "", false, 2
				}
				i++
				val = args[i]
			}
			if lsStyleFormats(val) == nil {
				p.Errorf("ls: invalid argument ‘%s’ for ‘time style’\nValid arguments are:\n  - [posix-]full-iso\n  - [posix-]long-iso\n  - [posix-]iso\n  - [posix-]locale\n  - +FORMAT (e.g., +%%H:%%M) for a 'date'-style format\nTry 'ls --help' for more information.\n", val)
				return nil, "", false, 2
			}
			style = val
		case name != "" && strings.HasPrefix("full-time", name) && len(name) >= 2:
			style, long = "full-iso", true
		default:
			p.Errorf("ls: unrecognized option '%s'\nTry 'ls --help' for more information.\n", a)
			return nil, "", false, 2
		}
	}
	return rest, style, long, -1
}

// lsStyleFormats gives a style's strftime formats for files older than
// six months and for recent ones; nil for an unknown style.
func lsStyleFormats(style string) []string {
	if strings.HasPrefix(style, "+") {
		old, recent, two := strings.Cut(style[1:], "\n")
		if !two {
			recent = old
		}
		return []string{old, recent}
	}
	switch strings.TrimPrefix(style, "posix-") {
	case "full-iso":
		return []string{"%Y-%m-%d %H:%M:%S.%N %z", "%Y-%m-%d %H:%M:%S.%N %z"}
	case "long-iso":
		return []string{"%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M"}
	case "iso":
		return []string{"%Y-%m-%d ", "%m-%d %H:%M"}
	case "locale", "":
		return []string{"%b %e  %Y", "%b %e %H:%M"}
	}
	return nil
}

// lsDateStyled formats a file time for ls -l in a time style.
func lsDateStyled(k *Kernel, mtime int64, style string) string {
	if mtime == 0 {
		mtime = k.start
	}
	f := lsStyleFormats(style)
	if f == nil {
		return lsDate(k, mtime)
	}
	t := time.Unix(0, mtime).UTC()
	now := time.Unix(0, k.now).UTC()
	if now.Sub(t) > 182*24*time.Hour || t.After(now.Add(time.Hour)) {
		return strftime(f[0], t)
	}
	return strftime(f[1], t)
}

// strftime is the C function for the conversions ls and date users
// write; others stay as written.
func strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		switch format[i] {
		case 'Y':
			b.WriteString(sprintf("%d", t.Year()))
		case 'y':
			b.WriteString(sprintf("%02d", t.Year()%100))
		case 'm':
			b.WriteString(sprintf("%02d", int(t.Month())))
		case 'd':
			b.WriteString(sprintf("%02d", t.Day()))
		case 'e':
			b.WriteString(sprintf("%2d", t.Day()))
		case 'H':
			b.WriteString(sprintf("%02d", t.Hour()))
		case 'I':
			b.WriteString(sprintf("%02d", (t.Hour()+11)%12+1))
		case 'M':
			b.WriteString(sprintf("%02d", t.Minute()))
		case 'S':
			b.WriteString(sprintf("%02d", t.Second()))
		case 'N':
			b.WriteString(sprintf("%09d", t.Nanosecond()))
		case 'j':
			b.WriteString(sprintf("%03d", t.YearDay()))
		case 'b', 'h':
			b.WriteString(t.Format("Jan"))
		case 'B':
			b.WriteString(t.Format("January"))
		case 'a':
			b.WriteString(t.Format("Mon"))
		case 'A':
			b.WriteString(t.Format("Monday"))
		case 'p':
			b.WriteString(t.Format("PM"))
		case 'z':
			b.WriteString(t.Format("-0700"))
		case 'Z':
			b.WriteString(t.Format("MST"))
		case 's':
			b.WriteString(sprintf("%d", t.Unix()))
		case 'u':
			b.WriteString(sprintf("%d", (int(t.Weekday())+6)%7+1))
		case 'w':
			b.WriteString(sprintf("%d", int(t.Weekday())))
		case 'F':
			b.WriteString(t.Format("2006-01-02"))
		case 'T':
			b.WriteString(t.Format("15:04:05"))
		case 'R':
			b.WriteString(t.Format("15:04"))
		case 'D':
			b.WriteString(t.Format("01/02/06"))
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}
