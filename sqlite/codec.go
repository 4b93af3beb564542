package sqlite

import (
	"smsadmin/internal/sqlstore"
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

// timeCol scans a stored time (see formatTime) into *t.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	s, err := sqlstore.Text(src)
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

// marks returns n comma-separated placeholders: "?, ?, ?".
func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// in returns the condition " AND col IN (?, ...)" for vals and its
// arguments.
func in(col string, vals []string) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return ` AND ` + col + ` IN (` + marks(len(vals)) + `)`, args
}

// limit returns the row limit of a list: n, or 100 when n <= 0.
func limit(n int) int {
	if n <= 0 {
		return 100
	}
	return n
}
