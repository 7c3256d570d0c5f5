package export

import "strings"

// Tables typed in retro prose are rewritten in one shape markdownlint
// accepts (MD055, MD056, MD060): a pipe at each end, one space inside each
// cell, as many cells in every row as in the header, "—" in an empty one.

// isTableStart reports whether header and next open a GFM table: a row
// with a pipe, then a delimiter row with as many cells.
func isTableStart(header, next string) bool {
	next = strings.TrimSpace(next)
	if !strings.Contains(header, "|") || !isDelimiterRow(next) {
		return false
	}
	return len(splitRow(header)) == len(splitRow(next))
}

// isDelimiterRow reports whether line is a GFM table's delimiter row
// ("|---|:--:|").
func isDelimiterRow(line string) bool {
	cells := splitRow(strings.TrimSpace(line))
	if len(cells) == 0 {
		return false
	}
	for _, c := range cells {
		c = strings.Trim(c, ":")
		if c == "" || strings.Trim(c, "-") != "" {
			return false
		}
	}
	return true
}

// splitRow splits a table row into its trimmed cells: pipes escaped with
// a backslash or inside code spans do not split.
func splitRow(row string) []string {
	row = strings.TrimPrefix(row, "|")
	if strings.HasSuffix(row, "|") && !strings.HasSuffix(row, `\|`) {
		row = row[:len(row)-1]
	}
	var cells []string
	var cur strings.Builder
	code := ""
	for i := 0; i < len(row); i++ {
		c := row[i]
		switch {
		case c == '\\' && i+1 < len(row):
			cur.WriteByte(c)
			cur.WriteByte(row[i+1])
			i++
			continue
		case c == '`':
			j := i
			for j < len(row) && row[j] == '`' {
				j++
			}
			run := row[i:j]
			switch {
			case code == "" && strings.Contains(row[j:], run):
				code = run
			case code == run:
				code = ""
			}
			cur.WriteString(run)
			i = j - 1
			continue
		case c == '|' && code == "":
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(c)
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// tableLines writes rows (the header, the delimiter row, the body) with
// n cells each.
func tableLines(rows [][]string, n int) []string {
	out := make([]string, 0, len(rows))
	for i, row := range rows {
		cells := make([]string, n)
		for j := range cells {
			c := ""
			if j < len(row) {
				c = row[j]
			}
			switch {
			case i == 1:
				c = delimiterCell(c)
			case c == "":
				c = dash
			default:
				c = neutralizeLinks(imageAlt(asteriskEmphasis(escapeInlineHTML(c))))
			}
			cells[j] = c
		}
		out = append(out, "| "+strings.Join(cells, " | ")+" |")
	}
	return out
}

// delimiterCell keeps a delimiter cell's alignment colons.
func delimiterCell(c string) string {
	l, r := strings.HasPrefix(c, ":"), strings.HasSuffix(c, ":") && len(c) > 1
	switch {
	case l && r:
		return ":---:"
	case l:
		return ":---"
	case r:
		return "---:"
	}
	return "---"
}
