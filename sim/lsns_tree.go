package sim

import (
	"sort"
	"strconv"
	"strings"
)

// This file holds lsns's namespace trees (-T, --tree=owner|parent|process)
// and its JSON output (-J).

// lsnsRelation is the namespace a row goes under in lsns -T: its owning
// user namespace (a user namespace's owner is its parent), or, with
// "parent", the parent of a user or PID namespace. nil when there is none
// or the kernel would not tell (ioctl NS_GET_USERNS and NS_GET_PARENT
// answer EPERM "outside of the caller's namespace scope").
func lsnsRelation(viewer *Task, n Namespace, byParent bool) Namespace {
	var up Namespace
	switch x := n.(type) {
	case *UserNamespace:
		if x.parent != nil {
			up = x.parent
		}
	case *PIDNamespace:
		if byParent && x.parent != nil {
			up = x.parent
		}
	}
	if !byParent && up == nil {
		if o := n.Owner(); o != nil {
			up = o
		}
	}
	if up == nil {
		return nil
	}
	switch x := up.(type) {
	case *UserNamespace:
		if !viewer.creds.UserNS.IsAncestorOf(x) {
			return nil
		}
	case *PIDNamespace:
		if !viewer.PIDNS().IsAncestorOf(x) {
			return nil
		}
	}
	return up
}

// lsnsNSTree orders rows as lsns -T prints them. Like lsns, it first adds
// a row with no process for each owning user namespace (and, with
// "parent", parent namespace) that is not listed but that the caller may
// learn of, then puts every row under the row of the namespace it is
// related to: roots and each row's children in order of inode number,
// each child with libsmartcols' branch ("├─", "└─", "│ ").
func lsnsNSTree[R any](viewer *Task, rows []R, ns func(R) Namespace, stub func(Namespace) R, byParent bool) ([]R, map[int]string) {
	listed := map[Namespace]int{}
	for i, r := range rows {
		listed[ns(r)] = i
	}
	// lsns asks for the owner whatever the tree, and for the parent too
	// with "parent": both come in as rows of their own.
	for i := 0; i < len(rows); i++ {
		n := ns(rows[i])
		for _, up := range []Namespace{lsnsRelation(viewer, n, false), lsnsRelation(viewer, n, byParent)} {
			if up == nil {
				continue
			}
			if _, ok := listed[up]; !ok {
				listed[up] = len(rows)
				rows = append(rows, stub(up))
			}
		}
	}
	children := map[int][]int{}
	var roots []int
	for i, r := range rows {
		up := lsnsRelation(viewer, ns(r), byParent)
		if j, ok := listed[up]; ok && up != nil {
			children[j] = append(children[j], i)
		} else {
			roots = append(roots, i)
		}
	}
	byInode := func(list []int) {
		sort.Slice(list, func(a, b int) bool { return ns(rows[list[a]]).Inode() < ns(rows[list[b]]).Inode() })
	}
	byInode(roots)
	var order []R
	prefix := map[int]string{}
	var walk func(i int, lead string)
	walk = func(i int, lead string) {
		order = append(order, rows[i])
		kids := children[i]
		byInode(kids)
		for k, c := range kids {
			branch, next := "├─", "│ "
			if k == len(kids)-1 {
				branch, next = "└─", "  "
			}
			prefix[len(order)] = lead + branch
			walk(c, lead+next)
		}
	}
	for _, i := range roots {
		walk(i, "")
	}
	return order, prefix
}

// lsnsNumeric are the columns libsmartcols prints as JSON numbers.
var lsnsNumeric = map[string]bool{"NS": true, "NPROCS": true, "PID": true, "PPID": true, "UID": true, "PNS": true, "ONS": true, "NETNSID": true}

// lsnsJSON renders rows as lsns -J does: an object "namespaces" holding an
// array of one object per row, keys the columns in lower case, numbers
// bare, an empty cell null; a row's children (the tree lsns would draw)
// nested in its "children" array. parent[i] is the index of row i's
// parent row, -1 for a root; rows come in tree order.
func lsnsJSON(cols []string, rows [][]string, parent []int) string {
	var b strings.Builder
	children := map[int][]int{}
	var roots []int
	for i, p := range parent {
		if p < 0 {
			roots = append(roots, i)
		} else {
			children[p] = append(children[p], i)
		}
	}
	var obj func(i int, ind string, first bool)
	obj = func(i int, ind string, first bool) {
		// libsmartcols starts a following object on the line that closes
		// the one before: "},{".
		if first {
			b.WriteString(ind)
		}
		b.WriteString("{\n")
		kids := children[i]
		for c, name := range cols {
			v := rows[i][c]
			b.WriteString(ind + "   \"" + strings.ToLower(name) + "\": ")
			switch {
			case v == "":
				b.WriteString("null")
			case lsnsNumeric[name] && strings.Trim(v, "0123456789") == "":
				b.WriteString(v)
			default:
				b.WriteString(jsonString(v))
			}
			if c < len(cols)-1 || len(kids) > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		if len(kids) > 0 {
			b.WriteString(ind + "   \"children\": [\n")
			for k, c := range kids {
				if k > 0 {
					b.WriteString(",")
				}
				obj(c, ind+"      ", k == 0)
			}
			b.WriteString("\n" + ind + "   ]\n")
		}
		b.WriteString(ind + "}")
	}
	b.WriteString("{\n   \"namespaces\": [\n")
	for k, i := range roots {
		if k > 0 {
			b.WriteString(",")
		}
		obj(i, "      ", k == 0)
	}
	b.WriteString("\n   ]\n}\n")
	return b.String()
}

// treeParents turns the branches a tree's rows are drawn with into the
// index of each row's parent row (-1 for a root): two runes of branch per
// level.
func treeParents(prefixes []string) []int {
	parent := make([]int, len(prefixes))
	var stack []int // the last row seen at each depth
	for i, p := range prefixes {
		depth := strlenRunes(p) / 2
		if depth > len(stack) {
			depth = len(stack)
		}
		stack = stack[:depth]
		parent[i] = -1
		if depth > 0 {
			parent[i] = stack[depth-1]
		}
		stack = append(stack, i)
	}
	return parent
}

// jsonString quotes s as libsmartcols does: '"' and '\' escaped, \b \f
// \n \r \t so, other control characters as \uXXXX, the rest as it is.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\b' || r == '\f' || r == '\n' || r == '\r' || r == '\t':
			b.WriteString(map[rune]string{'\b': `\b`, '\f': `\f`, '\n': `\n`, '\r': `\r`, '\t': `\t`}[r])
		case r < 0x20 || r == 0x7f:
			b.WriteString("\\u" + strings.Repeat("0", 4-len(strconv.FormatInt(int64(r), 16))) + strconv.FormatInt(int64(r), 16))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
