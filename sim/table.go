package sim

import "strings"

// table lays out columns as libsmartcols does for util-linux tools: each
// column as wide as its widest cell, one space between, numbers right-
// aligned, the last column not padded.
type table struct {
	head  []string
	rows  [][]string
	right map[string]bool
	raw   bool
	// hint is a column's width hint (libsmartcols' whint): a column
	// whose widest cell is at least as wide as its header is at least
	// this wide.
	hint map[string]int
}

func newTable(head []string, raw bool) *table {
	return &table{head: head, right: map[string]bool{}, raw: raw}
}

func (t *table) rightAlign(cols ...string) {
	for _, c := range cols {
		t.right[c] = true
	}
}

func (t *table) add(row []string) { t.rows = append(t.rows, row) }

func (t *table) render(withHead bool) string {
	all := t.rows
	if withHead {
		all = append([][]string{t.head}, t.rows...)
	}
	var b strings.Builder
	if t.raw {
		for _, r := range all {
			cells := make([]string, len(r))
			for i, c := range r {
				cells[i] = rawEncode(c)
			}
			b.WriteString(strings.Join(cells, " "))
			b.WriteByte('\n')
		}
		return b.String()
	}
	widths := t.widths()
	for _, r := range all {
		var line strings.Builder
		for i, c := range r {
			pad := widths[i] - strlenRunes(c)
			if i > 0 {
				line.WriteByte(' ')
			}
			if t.right[t.head[i]] {
				line.WriteString(strings.Repeat(" ", pad))
				line.WriteString(c)
			} else {
				line.WriteString(c)
				if i < len(r)-1 {
					line.WriteString(strings.Repeat(" ", pad))
				}
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// widths are the columns' widths.
func (t *table) widths() []int {
	// Headers count in the widths even when they are not printed, as in
	// libsmartcols.
	widths := make([]int, len(t.head))
	for _, r := range append([][]string{t.head}, t.rows...) {
		for i, c := range r {
			if n := strlenRunes(c); n > widths[i] {
				widths[i] = n
			}
		}
	}
	for i, h := range t.head {
		if t.hint[h] > widths[i] {
			data := 0
			for _, r := range t.rows {
				data = max(data, strlenRunes(r[i]))
			}
			if data >= strlenRunes(h) {
				widths[i] = t.hint[h]
			}
		}
	}
	return widths
}

func strlenRunes(s string) int { return len([]rune(s)) }

// rawEncode is libsmartcols' encoding of a raw cell: blanks, the
// backslash, control characters and (in the C locale) bytes beyond ASCII
// become \xHH, so that a cell never splits.
func rawEncode(c string) string {
	var b strings.Builder
	for i := 0; i < len(c); i++ {
		ch := c[i]
		if ch <= ' ' || ch == '\\' || ch >= 0x7f {
			b.WriteString(sprintf("\\x%02x", ch))
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}
