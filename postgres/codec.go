package postgres

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// nullString returns the stored form of an optional reference: NULL for "".
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// text returns a text or JSON column's value as a string; pgx hands a
// database/sql Scanner text as a string and JSON as bytes.
func text(src any) (string, error) {
	switch v := src.(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	}
	return "", fmt.Errorf("postgres: want text, got %T", src)
}

// emptyNullCol scans an optional reference into *s: "" for NULL.
type emptyNullCol struct{ s *string }

func (c emptyNullCol) Scan(src any) error {
	if src == nil {
		*c.s = ""
		return nil
	}
	var err error
	*c.s, err = text(src)
	return err
}

// jsonList returns the stored form of a list: a JSON array, "[]" for nil,
// so that a list column is never NULL and reads back as an empty slice.
func jsonList[T any](items []T) (string, error) {
	if items == nil {
		return "[]", nil
	}
	b, err := json.Marshal(items)
	return string(b), err
}

// jsonListCol scans a stored list (see jsonList) into *items: an empty
// slice, never nil, when the list is empty.
type jsonListCol[T any] struct{ items *[]T }

func (c jsonListCol[T]) Scan(src any) error {
	s, err := text(src)
	if err != nil {
		return err
	}
	items := []T{}
	if err := json.Unmarshal([]byte(s), &items); err != nil {
		return err
	}
	if items == nil { // a stored "null", which jsonList never writes
		items = []T{}
	}
	*c.items = items
	return nil
}

// nullJSON returns the stored form of an optional record: its JSON, or
// NULL for nil.
func nullJSON[T any](v *T) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// nullJSONCol scans an optional stored record (see nullJSON) into *v: nil
// for NULL.
type nullJSONCol[T any] struct{ v **T }

func (c nullJSONCol[T]) Scan(src any) error {
	if src == nil {
		*c.v = nil
		return nil
	}
	s, err := text(src)
	if err != nil {
		return err
	}
	v := new(T)
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return err
	}
	*c.v = v
	return nil
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

// limit returns the row limit of a list: n, or 100 when n <= 0.
func limit(n int) int {
	if n <= 0 {
		return 100
	}
	return n
}
