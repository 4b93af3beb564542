package sqlite

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// timeFormat is how times are stored: UTC, RFC 3339 with exactly nine
// fractional digits. Fixed width makes text order time order (RFC3339Nano
// trims trailing zeros and would not sort), and nanoseconds round-trip.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// formatTime returns the stored form of t.
func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// nullTime returns the stored form of an optional time: NULL for nil.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

// nullString returns the stored form of an optional reference: NULL for "".
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// text returns a TEXT column's value as a string; drivers hand it over as
// string or []byte.
func text(src any) (string, error) {
	switch v := src.(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	}
	return "", fmt.Errorf("sqlite: want TEXT, got %T", src)
}

// timeCol scans a stored time (see formatTime) into *t.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	s, err := text(src)
	if err != nil {
		return err
	}
	*c.t, err = time.Parse(time.RFC3339Nano, s)
	return err
}

// nullTimeCol scans an optional stored time into *t: nil for NULL.
type nullTimeCol struct{ t **time.Time }

func (c nullTimeCol) Scan(src any) error {
	if src == nil {
		*c.t = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(src); err != nil {
		return err
	}
	*c.t = &t
	return nil
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

// marks returns n comma-separated placeholders: "?, ?, ?".
func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// limit returns the row limit of a list: n, or 100 when n <= 0.
func limit(n int) int {
	if n <= 0 {
		return 100
	}
	return n
}
