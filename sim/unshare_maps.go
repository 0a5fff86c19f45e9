package sim

import (
	"strconv"
	"strings"
)

// This file holds unshare's --map-users, --map-groups and --map-auto,
// which map ranges of IDs through shadow's newuidmap and newgidmap.

// parseExternalMaps checks the argument of --map-users (code 210),
// --map-groups (211) or --map-auto (209) as util-linux 2.38 does while
// it parses its options, and notes the helper each map needs in
// external. It prints unshare's error and returns false for a bad one.
func parseExternalMaps(p *Proc, code byte, value string, external *[]string) bool {
	type want struct {
		helper, file string
	}
	var maps []want
	switch code {
	case 209:
		maps = []want{{"newuidmap", "/etc/subuid"}, {"newgidmap", "/etc/subgid"}}
	case 210:
		maps = []want{{"newuidmap", "/etc/subuid"}}
	case 211:
		maps = []want{{"newgidmap", "/etc/subgid"}}
	}
	for _, m := range maps {
		if code == 209 || value == "auto" {
			if !subidRangeExists(p, m.file) {
				return false
			}
		} else if !parseMapRange(p, value) {
			return false
		}
		if !contains(*external, m.helper) {
			*external = append(*external, m.helper)
		}
	}
	// newuidmap runs before newgidmap.
	if len(*external) == 2 && (*external)[0] == "newgidmap" {
		(*external)[0], (*external)[1] = "newuidmap", "newgidmap"
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// subidRangeExists reads the subordinate ID range for "auto" from file.
// util-linux 2.38's read_subid_range takes the first line of the file
// whatever user it names (a bug of that version, followed here); an
// empty file is the error, which err(3) words with errno 0.
func subidRangeExists(p *Proc, file string) bool {
	name := userName(p.K, p.T, p.T.creds.UserNS.MungedUID(p.T.creds.RealUID))
	data, err := p.ReadFile(file)
	if err != nil {
		p.Errorf("unshare: could not open '%s': %s\n", file, err.Error())
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) != "" {
			return true
		}
	}
	p.Errorf("unshare: no line matching user \"%s\" in %s: Success\n", name, file)
	return false
}

// parseMapRange checks "OUTER,INNER,COUNT" as util-linux's
// string_to_idarray and parse_id do: an empty list, an empty element, an
// ID that reads as -1 or a fourth element is "too many elements"; fewer
// than three is "contains only N elements"; a non-number is "could not
// parse ID".
func parseMapRange(p *Proc, s string) bool {
	n, bad := idArray(s, 3)
	switch {
	case bad != "":
		p.Errorf("unshare: could not parse ID: '%s'\n", bad)
		return false
	case n < 0:
		p.Errorf("unshare: too many elements for mapping '%s'\n", s)
		return false
	case n != 3:
		p.Errorf("unshare: mapping '%s' contains only %d elements\n", s, n)
		return false
	}
	return true
}

// idArray counts the IDs of a comma-separated list the way
// string_to_idarray does, up to max: -1 for an error, or the text of an
// element that is not a number.
func idArray(list string, max int) (int, string) {
	if list == "" {
		return -1, ""
	}
	n := 0
	begin := -1
	for i := 0; i < len(list); i++ {
		if n >= max {
			return -1, ""
		}
		if begin < 0 {
			begin = i
		}
		end := -1
		if list[i] == ',' {
			end = i
		}
		if i+1 == len(list) {
			end = i + 1
		}
		if end < 0 {
			continue
		}
		if end <= begin {
			return -1, ""
		}
		tok := list[begin:end]
		v, err := strconv.ParseUint(tok, 10, 64)
		if err != nil {
			neg, err2 := strconv.ParseInt(tok, 10, 64)
			if err2 != nil {
				return 0, tok
			}
			v = uint64(neg)
		}
		if int32(uint32(v)) == -1 {
			return -1, ""
		}
		n++
		begin = -1
	}
	return n, ""
}
