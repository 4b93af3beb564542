package sqlite

import (
	"context"
	"fmt"

	"smsadmin"
)

const numberColumns = `tenant_id, number, country, user_id, created_at, updated_at`

// NumberCreate adds n to its tenant's inventory. Conflict if the number is
// in any inventory already; not_found if the tenant or the user does not
// exist.
func (t *tx) NumberCreate(ctx context.Context, n *smsadmin.PhoneNumber) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO phone_numbers (`+numberColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.Number, n.Country, nullString(n.UserID), formatTime(n.CreatedAt), formatTime(n.UpdatedAt))
	return t.check(ctx, err, numberRow(n.TenantID, n.Number, n.UserID))
}

// NumberGet returns the number of the tenant's inventory, or not_found.
func (t *tx) NumberGet(ctx context.Context, tenantID, number string) (*smsadmin.PhoneNumber, error) {
	n, err := scanNumber(t.db.QueryRowContext(ctx, `SELECT `+numberColumns+` FROM phone_numbers
		WHERE tenant_id = ? AND number = ?`, tenantID, number))
	if err != nil {
		return nil, t.check(ctx, err, numberRow(tenantID, number, ""))
	}
	return n, nil
}

// NumberList returns a tenant's numbers in order, after p.After, kept to
// p.UserID's when set and to those of no user when p.Unowned.
func (t *tx) NumberList(ctx context.Context, p smsadmin.NumberListParams) ([]*smsadmin.PhoneNumber, error) {
	q := `SELECT ` + numberColumns + ` FROM phone_numbers WHERE tenant_id = ? AND number > ?`
	args := []any{p.TenantID, p.After}
	if p.UserID != "" {
		q += ` AND user_id = ?`
		args = append(args, p.UserID)
	}
	if p.Unowned {
		q += ` AND user_id IS NULL`
	}
	q += ` ORDER BY number LIMIT ?`
	return list(ctx, t, "numbers", scanNumber, q, append(args, limit(p.Limit))...)
}

// NumberUpdate writes n's UserID and UpdatedAt; not_found if its tenant
// has no number n.Number or no user n.UserID.
func (t *tx) NumberUpdate(ctx context.Context, n *smsadmin.PhoneNumber) error {
	err := mustAffect(t.db.ExecContext(ctx, `UPDATE phone_numbers SET user_id = ?, updated_at = ?
		WHERE tenant_id = ? AND number = ?`, nullString(n.UserID), formatTime(n.UpdatedAt), n.TenantID, n.Number))
	return t.check(ctx, err, numberRow(n.TenantID, n.Number, n.UserID))
}

// NumberDelete removes the number from the tenant's inventory; not_found if
// it is not there.
func (t *tx) NumberDelete(ctx context.Context, tenantID, number string) error {
	err := mustAffect(t.db.ExecContext(ctx, `DELETE FROM phone_numbers WHERE tenant_id = ? AND number = ?`, tenantID, number))
	return t.check(ctx, err, numberRow(tenantID, number, ""))
}

func numberRow(tenantID, number, userID string) row {
	inUse := fmt.Sprintf("Number %s is already in an inventory.", number)
	return row{noun: "Number", id: number, tenantID: tenantID, parent: "User", parentID: userID,
		conflicts: map[string]string{"phone_numbers.number": inUse}}
}

func scanNumber(s scanner) (*smsadmin.PhoneNumber, error) {
	var n smsadmin.PhoneNumber
	if err := s.Scan(&n.TenantID, &n.Number, &n.Country, emptyNullCol{&n.UserID},
		timeCol{&n.CreatedAt}, timeCol{&n.UpdatedAt}); err != nil {
		return nil, err
	}
	return &n, nil
}
