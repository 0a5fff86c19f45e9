package sim

import (
	"strconv"
	"strings"
	"time"
)

// uptimeUsage is procps-ng 4.0.2's uptime usage text.
const uptimeUsage = `
Usage:
 uptime [options]

Options:
 -p, --pretty   show uptime in pretty format
 -h, --help     display this help and exit
 -s, --since    system up since
 -V, --version  output version information and exit

For more details see uptime(1).
`

var uptimeSpec = optSpec{
	short: map[byte]int{'p': 0, 'h': 0, 's': 0, 'V': 0},
	long:  map[string]longOpt{"pretty": {'p', 0}, "help": {'h', 0}, "since": {'s', 0}, "version": {'V', 0}},
}

// uptimeProgram is uptime(1) of procps-ng 4.0.2. It reads /proc/uptime
// and /proc/loadavg as the real one does, so that a time namespace's
// boottime offset shows (time_namespaces(7)'s uptime --pretty).
func uptimeProgram(p *Proc) int {
	opts, args, msg := getoptLong(uptimeSpec, p.Args[1:], false)
	if msg != "" {
		p.Errorf("uptime: %s\n%s", msg, uptimeUsage)
		return 1
	}
	pretty := false
	for _, o := range opts {
		switch o.code {
		case 'h':
			p.Printf("%s", uptimeUsage)
			return 0
		case 'V':
			p.Printf("uptime from procps-ng 4.0.2\n")
			return 0
		case 's':
			up, ok := readUptime(p)
			if !ok {
				return 1
			}
			// -s acts at once in procps's option loop.
			boot := time.Unix(0, p.K.now).Add(-time.Duration(up * float64(time.Second)))
			p.Printf("%s\n", boot.UTC().Format("2006-01-02 15:04:05"))
			return 0
		case 'p':
			pretty = true
		}
	}
	if len(args) > 0 {
		p.Errorf("%s", uptimeUsage)
		return 1
	}
	up, ok := readUptime(p)
	if !ok {
		return 1
	}
	secs := int64(up)
	if pretty {
		p.Printf("%s\n", prettyUptime(secs))
		return 0
	}
	// " 22:33:25 up 3472 days,  8:11,  0 user,  load average: …": no one is
	// logged in in utmp in a lab.
	var b strings.Builder
	b.WriteString(" " + time.Unix(0, p.K.now).UTC().Format("15:04:05") + " up ")
	if days := secs / 86400; days > 0 {
		b.WriteString(strconv.FormatInt(days, 10) + " " + plural(days, "day", "days") + ", ")
	}
	hours, mins := secs/3600%24, secs/60%60
	if hours > 0 {
		b.WriteString(sprintf("%2d:%02d, ", hours, mins))
	} else {
		b.WriteString(sprintf("%d min, ", mins))
	}
	b.WriteString(" 0 user,  load average: ")
	load, err := p.ReadFile("/proc/loadavg")
	f := strings.Fields(string(load))
	if err != nil || len(f) < 3 {
		p.Errorf("uptime: Unable to get load average\n")
		return 1
	}
	b.WriteString(strings.Join(f[:3], ", ") + "\n")
	p.Printf("%s", b.String())
	return 0
}

// readUptime reads the first number of /proc/uptime.
func readUptime(p *Proc) (float64, bool) {
	data, err := p.ReadFile("/proc/uptime")
	f := strings.Fields(string(data))
	if err == nil && len(f) > 0 {
		if v, err := strconv.ParseFloat(f[0], 64); err == nil {
			return v, true
		}
	}
	p.Errorf("uptime: Unable to get system uptime\n")
	return 0, false
}

// prettyUptime is uptime -p's text: decades, years (of 365 days), weeks,
// days and hours, each the remainder of the larger unit, those that are
// zero left out, then the minutes, always ("up 1 day, 0 minutes").
// procps keeps the seconds in an int; a lab never runs 68 years, so the
// wrap-around beyond is not followed.
func prettyUptime(secs int64) string {
	units := []struct {
		size        int64
		one, plural string
	}{
		{315360000, "decade", "decades"}, {31536000, "year", "years"}, {604800, "week", "weeks"},
		{86400, "day", "days"}, {3600, "hour", "hours"},
	}
	var parts []string
	rest := secs
	for _, u := range units {
		if n := rest / u.size; n > 0 {
			parts = append(parts, strconv.FormatInt(n, 10)+" "+plural(n, u.one, u.plural))
		}
		rest %= u.size
	}
	mins := rest / 60
	word := "minutes"
	if mins == 1 {
		word = "minute"
	}
	parts = append(parts, strconv.FormatInt(mins, 10)+" "+word)
	return "up " + strings.Join(parts, ", ")
}

// plural picks procps's word for n: the plural only above one.
func plural(n int64, one, many string) string {
	if n > 1 {
		return many
	}
	return one
}
