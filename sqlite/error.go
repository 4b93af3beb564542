package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"smsadmin"
)

// row names the row a statement is about, for the errors it may cause.
type row struct {
	noun string // capitalised, as it starts a sentence: "User"
	id   string
	// tenantID is the row's tenant, and parent and parentID name the other
	// row of that tenant it references ("User", "usr_..."; "" when none):
	// they say what is missing after a foreign key violation.
	tenantID, parent, parentID string
	// conflicts gives the message for a violation of a UNIQUE constraint
	// other than the primary key, by a column of it ("users.email").
	conflicts map[string]string
	// inUse is the message of a DELETE refused because other rows still
	// reference the row (a brand's campaigns): a conflict.
	inUse string
}

// check turns the error of a statement about r into the error the Store
// contract promises. It is the one place driver errors are mapped:
//
//   - sql.ErrNoRows: not_found, "<Noun> <id> not found."
//   - a UNIQUE or PRIMARY KEY violation: conflict, with r's message for the
//     constraint or "<Noun> <id> already exists."
//   - a FOREIGN KEY violation: conflict with r.inUse when it is set (a
//     DELETE of a row others reference), else not_found for the missing
//     tenant or parent
//   - anything else: wrapped, so that ErrorCode reports it internal
func (t *tx) check(ctx context.Context, err error, r row) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return errNotFound(r.noun, r.id)
	case isUniqueViolation(err):
		cols := constraintColumns(err)
		for col, msg := range r.conflicts {
			if slices.Contains(cols, col) {
				return smsadmin.Errorf(smsadmin.CodeConflict, "%s", msg)
			}
		}
		return smsadmin.Errorf(smsadmin.CodeConflict, "%s %s already exists.", r.noun, r.id)
	case isForeignKeyViolation(err) && r.inUse != "":
		return smsadmin.Errorf(smsadmin.CodeConflict, "%s", r.inUse)
	case isForeignKeyViolation(err):
		return t.missingParent(ctx, r)
	}
	return fmt.Errorf("sqlite: %s %s: %w", strings.ToLower(r.noun), r.id, err)
}

// errNotFound is the error for a row that is not there.
func errNotFound(noun, id string) error {
	return smsadmin.Errorf(smsadmin.CodeNotFound, "%s %s not found.", noun, id)
}

// mustAffect turns an UPDATE or DELETE that matched no row into not_found.
func mustAffect(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return nil
}

// constraintColumns returns the columns SQLite names in a constraint
// error, "UNIQUE constraint failed: users.tenant_id, users.email": both
// drivers carry SQLite's message (modernc appends " (2067)").
func constraintColumns(err error) []string {
	msg := err.Error()
	i := strings.LastIndex(msg, "constraint failed: ")
	if i < 0 {
		return nil
	}
	msg = msg[i+len("constraint failed: "):]
	if j := strings.Index(msg, " ("); j >= 0 {
		msg = msg[:j]
	}
	return strings.Split(msg, ", ")
}

// missingParent names which parent of r is missing after SQLite reported a
// foreign key violation, which does not say. The failed statement was
// rolled back by itself, so the transaction can still be read.
func (t *tx) missingParent(ctx context.Context, r row) error {
	var n int
	err := t.db.QueryRowContext(ctx, `SELECT count(*) FROM tenants WHERE id = ?`, r.tenantID).Scan(&n)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if n == 0 {
		return errNotFound("Tenant", r.tenantID)
	}
	if r.parent == "" {
		return fmt.Errorf("sqlite: %s %s: a foreign key violation, yet its tenant exists and it references nothing else",
			strings.ToLower(r.noun), r.id)
	}
	return errNotFound(r.parent, r.parentID)
}
