package server

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTruncateCutsBetweenCharacters(t *testing.T) {
	for _, s := range []string{strings.Repeat("é", 100), strings.Repeat("日本", 50), strings.Repeat("a", 200)} {
		for n := 0; n < 130; n++ {
			got := truncate(s, n)
			if !utf8.ValidString(got) || len(strings.TrimSuffix(got, "…")) > n {
				t.Fatalf("truncate(%q, %d) = %q: not valid UTF-8 or too long", s[:10], n, got)
			}
		}
	}
}
