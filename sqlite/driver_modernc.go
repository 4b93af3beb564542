//go:build !sqlite_mattn

package sqlite

import (
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The default driver is modernc.org/sqlite, SQLite translated to pure Go: no
// cgo, so the binary cross-compiles with the plain Go toolchain. Build with
// -tags sqlite_mattn for github.com/mattn/go-sqlite3 instead (driver_mattn.go).
const driverName = "sqlite"

// dsn returns the data source name of a connection to the database at path.
// Every connection gets the same pragmas (see Open); the writer's
// transactions begin IMMEDIATE, the reader's connections are query_only.
// modernc runs busy_timeout first, then the other _pragma values in
// lexicographic order, so journal_mode is set before query_only.
func dsn(path string, role connRole, sync string) string {
	s := "file:" + escapePath(path) +
		"?_pragma=busy_timeout(5000)" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(" + sync + ")" +
		// Why: a statement's journal (kept while an UPDATE of a row with
		// foreign keys runs, to undo that statement alone) in memory, not
		// in a temporary file; a bulk request's 1000 updates each wrote
		// one (about a fifth of its time).
		"&_pragma=temp_store(MEMORY)"
	if role == writer {
		return s + "&_txlock=immediate"
	}
	return s + "&_pragma=query_only(1)"
}

// isUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY
// constraint failure. modernc enables extended result codes.
func isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// isForeignKeyViolation reports whether err is a FOREIGN KEY constraint
// failure.
func isForeignKeyViolation(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}
