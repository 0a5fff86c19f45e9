package sim

import (
	"strconv"
	"time"
)

// touchProgram is touch of GNU coreutils 9.1: it creates each FILE (unless
// -c) and sets its modification time to now, to -t's [[CC]YY]MMDDhhmm[.ss]
// or to -r's file's. -a, -m, -h and -d are left out (getopt refuses them):
// the simulated inode keeps one timestamp, so access-only or
// modification-only changes could not show as coreutils shows them, and
// -d's free-form dates are not parsed. -f is accepted and ignored, as
// coreutils does.
func touchProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'c': 0, 'f': 0, 'r': 1, 't': 1},
		long:  map[string]longOpt{"no-create": {'c', 0}, "reference": {'r', 1}},
	}
	opts, operands, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "touch", msg)
	}
	noCreate, sources := false, 0
	var when int64
	var haveTime, hasRef bool
	var ref string
	for _, o := range opts {
		switch o.code {
		case 'c':
			noCreate = true
		case 't':
			t, ok := touchPosixTime(o.value, time.Unix(0, p.K.now).UTC().Year())
			if !ok {
				p.Errorf("touch: invalid date format ‘%s’\n", o.value)
				return 1
			}
			sources++
			when, haveTime = t, true
		case 'r':
			sources++
			ref, hasRef = o.value, true
		}
	}
	if sources > 1 {
		p.Errorf("touch: cannot specify times from more than one source\nTry 'touch --help' for more information.\n")
		return 1
	}
	// The reference file is read only once the options are known good.
	if hasRef {
		r, err := p.K.lookup(p.T, ref, true)
		if err != nil {
			p.Errorf("touch: failed to get attributes of '%s': %s\n", ref, err.Error())
			return 1
		}
		when, haveTime = r.node.mtime, true
		if when == 0 {
			when = p.K.start
		}
	}
	if len(operands) == 0 {
		return usageError(p, "touch", "missing file operand")
	}
	if !haveTime {
		when = p.K.now
	}
	status := 0
	for _, n := range operands {
		r, err := p.K.lookup(p.T, n, true)
		if err == nil {
			r.node.mtime = when
			continue
		}
		if noCreate {
			continue
		}
		if _, err := p.K.open(p.T, n, openWrite|openCreate); err != nil {
			p.Errorf("touch: cannot touch '%s': %s\n", n, err.Error())
			status = 1
			continue
		}
		if r, err := p.K.lookup(p.T, n, true); err == nil {
			r.node.mtime = when
		}
	}
	return status
}

// touchPosixTime parses -t's [[CC]YY]MMDDhhmm[.ss] in UTC, as coreutils'
// posixtime does: two-digit years 69-99 are 19YY, 00-68 20YY, no year is
// this year, and a date that does not exist (0230) is refused.
func touchPosixTime(s string, year int) (int64, bool) {
	main, secs, hasSecs := s, "", false
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			main, secs, hasSecs = s[:i], s[i+1:], true
			break
		}
	}
	digits := func(x string) bool {
		for i := 0; i < len(x); i++ {
			if x[i] < '0' || x[i] > '9' {
				return false
			}
		}
		return x != ""
	}
	if !digits(main) || hasSecs && (len(secs) != 2 || !digits(secs)) {
		return 0, false
	}
	num := func(x string) int { v, _ := strconv.Atoi(x); return v }
	switch len(main) {
	case 8:
	case 10:
		yy := num(main[:2])
		year = 1900 + yy
		if yy < 69 {
			year = 2000 + yy
		}
		main = main[2:]
	case 12:
		year = num(main[:4])
		main = main[4:]
	default:
		return 0, false
	}
	mon, day, hour, min, sec := num(main[0:2]), num(main[2:4]), num(main[4:6]), num(main[6:8]), 0
	if hasSecs {
		sec = num(secs)
	}
	t := time.Date(year, time.Month(mon), day, hour, min, sec, 0, time.UTC)
	if t.Month() != time.Month(mon) || t.Day() != day || t.Hour() != hour || t.Minute() != min || t.Second() != sec {
		return 0, false
	}
	return t.UnixNano(), true
}
