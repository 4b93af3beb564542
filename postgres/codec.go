package postgres

import (
	"strconv"
	"strings"
)

// assign returns an UPDATE's assignments of columns (comma-separated, as
// in the *Columns constants) to placeholders from $from: "a = $1, b = $2".
func assign(columns string, from int) string {
	var b strings.Builder
	for i, col := range strings.Split(columns, ",") {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strings.TrimSpace(col) + " = $" + strconv.Itoa(from+i))
	}
	return b.String()
}

// queryArgs collects a query's arguments as its conditions are written.
type queryArgs []any

// add appends v and returns its placeholder: "$3" for the third.
func (a *queryArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// params returns n comma-separated placeholders from $from: "$3, $4, $5".
func params(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(from+i))
	}
	return b.String()
}

// limit returns the row limit of a list: n, or 100 when n <= 0.
func limit(n int) int {
	if n <= 0 {
		return 100
	}
	return n
}
