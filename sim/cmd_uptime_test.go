package sim

import "testing"

// TestPrettyUptime holds uptime -p to what procps-ng 4.0.2 printed on this
// project's reference machine for these boottime offsets.
func TestPrettyUptime(t *testing.T) {
	for secs, want := range map[int64]string{
		10266:     "up 2 hours, 51 minutes",
		110266:    "up 1 day, 6 hours, 37 minutes",
		300010266: "up 9 years, 26 weeks, 5 days, 8 hours, 11 minutes",
		31546266:  "up 1 year, 2 hours, 51 minutes",
		315370266: "up 1 decade, 2 hours, 51 minutes",
		400010266: "up 1 decade, 2 years, 35 weeks, 4 days, 17 hours, 57 minutes",
		7230:      "up 2 hours, 0 minutes",
		86700:     "up 1 day, 5 minutes",
		86400:     "up 1 day, 0 minutes",
		3600:      "up 1 hour, 0 minutes",
		60:        "up 1 minute",
		120:       "up 2 minutes",
	} {
		if got := prettyUptime(secs); got != want {
			t.Errorf("prettyUptime(%d) = %q, want %q", secs, got, want)
		}
	}
}
