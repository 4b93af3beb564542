//go:build sqlite_mattn

package sqlite

import (
	"errors"

	"github.com/mattn/go-sqlite3"
)

// Under the sqlite_mattn build tag the driver is github.com/mattn/go-sqlite3,
// the C SQLite through cgo. The default is modernc.org/sqlite
// (driver_modernc.go); BENCHMARKS.md says why.
const driverName = "sqlite3"

// dsn returns the data source name of a connection to the database at path.
// Every connection gets the same pragmas (see Open); the writer's
// transactions begin IMMEDIATE, the reader's connections are query_only.
// mattn sets journal_mode before query_only whatever their order here.
func dsn(path string, role connRole, sync string) string {
	s := "file:" + escapePath(path) +
		"?_busy_timeout=5000" +
		"&_journal_mode=WAL" +
		"&_foreign_keys=1" +
		"&_synchronous=" + sync
	if role == writer {
		return s + "&_txlock=immediate"
	}
	return s + "&_query_only=1"
}

// isUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY
// constraint failure.
func isUniqueViolation(err error) bool {
	var e sqlite3.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.ExtendedCode == sqlite3.ErrConstraintUnique || e.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
}

// isForeignKeyViolation reports whether err is a FOREIGN KEY constraint
// failure.
func isForeignKeyViolation(err error) bool {
	var e sqlite3.Error
	return errors.As(err, &e) && e.ExtendedCode == sqlite3.ErrConstraintForeignKey
}
