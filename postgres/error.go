package postgres

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"smsadmin"
)

// SQLSTATEs the store acts on.
const (
	codeUniqueViolation      = "23505"
	codeForeignKeyViolation  = "23503"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
)

// row names the row a statement is about, for the errors it may cause.
type row struct {
	noun string // capitalised, as it starts a sentence: "User"
	id   string
	// tenantID is the row's tenant, and parent and parentID name the other
	// row of that tenant it references ("User", "usr_..."; "" when none):
	// they say what is missing after a foreign key violation.
	tenantID, parent, parentID string
	// conflicts gives the message for a violation of a unique constraint
	// other than the primary key, by the constraint's name (see the
	// migration: "users_email").
	conflicts map[string]string
	// inUse is the message of a DELETE refused because other rows still
	// reference the row (a brand's campaigns): a conflict.
	inUse string
}

// check turns the error of a statement about r into the error the Store
// contract promises. It is the one place driver errors are mapped:
//
//   - pgx.ErrNoRows: not_found, "<Noun> <id> not found."
//   - a unique violation: conflict, with r's message for the constraint or
//     "<Noun> <id> already exists."
//   - a foreign key violation: conflict with r.inUse when it is set (a
//     DELETE of a row others reference), else not_found for the missing
//     tenant (a constraint named *_tenant_fk) or parent
//   - anything else: wrapped, so that ErrorCode reports it internal
//
// PostgreSQL names the violated constraint, so unlike SQLite nothing is
// read again to find out which: the transaction is aborted by then anyway.
func check(err error, r row) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return errNotFound(r.noun, r.id)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case codeUniqueViolation:
			if msg, ok := r.conflicts[pe.ConstraintName]; ok {
				return smsadmin.Errorf(smsadmin.CodeConflict, "%s", msg)
			}
			return smsadmin.Errorf(smsadmin.CodeConflict, "%s %s already exists.", r.noun, r.id)
		case codeForeignKeyViolation:
			if r.inUse != "" {
				return smsadmin.Errorf(smsadmin.CodeConflict, "%s", r.inUse)
			}
			if strings.HasSuffix(pe.ConstraintName, "_tenant_fk") {
				return errNotFound("Tenant", r.tenantID)
			}
			if r.parent != "" {
				return errNotFound(r.parent, r.parentID)
			}
		}
	}
	return fmt.Errorf("postgres: %s %s: %w", strings.ToLower(r.noun), r.id, err)
}

// errNotFound is the error for a row that is not there.
func errNotFound(noun, id string) error {
	return smsadmin.Errorf(smsadmin.CodeNotFound, "%s %s not found.", noun, id)
}

// mustAffect turns an UPDATE or DELETE that matched no row into not_found.
func mustAffect(tag pgconn.CommandTag, err error) error {
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return pgx.ErrNoRows
	}
	return nil
}

// retryable reports whether err means the transaction was aborted to keep
// it serialisable, so that running it again may succeed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == codeSerializationFailure || pe.Code == codeDeadlockDetected)
}
