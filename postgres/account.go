package postgres

import (
	"context"
	"fmt"
	"time"

	"smsadmin"
	"smsadmin/internal/sqlstore"
)

const accountColumns = `id, tenant_id, role, email, name, password_hash, created_at, created_by, disabled_at,
	failed_sign_ins, locked_until, mail`

// AccountCreate inserts a. Conflict if its ID or email is taken.
func (t *tx) AccountCreate(ctx context.Context, a *smsadmin.Account) error {
	mail, err := sqlstore.NullJSON(a.Mail)
	if err != nil {
		return fmt.Errorf("postgres: account %s: %w", a.ID, err)
	}
	_, err = t.exec(ctx, `INSERT INTO accounts (`+accountColumns+`) VALUES (`+params(1, 12)+`)`,
		a.ID, a.TenantID, string(a.Role), a.Email, a.Name, a.PasswordHash, a.CreatedAt, a.CreatedBy,
		a.DisabledAt, a.FailedSignIns, a.LockedUntil, mail)
	return check(err, accountRow(a))
}

// AccountGet returns the account id of the tenant ("" for support), or
// not_found.
func (t *tx) AccountGet(ctx context.Context, tenantID, id string) (*smsadmin.Account, error) {
	a, err := scanAccount(t.queryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if err != nil {
		return nil, check(err, row{noun: "Account", id: id})
	}
	return a, nil
}

// AccountGetByEmail returns the account with this email, in any tenant, or
// not_found.
func (t *tx) AccountGetByEmail(ctx context.Context, email string) (*smsadmin.Account, error) {
	a, err := scanAccount(t.queryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE email = $1`, email))
	if err != nil {
		return nil, check(err, row{noun: "Account", id: email})
	}
	return a, nil
}

// AccountList returns a tenant's accounts in ID order, after p.After.
func (t *tx) AccountList(ctx context.Context, p smsadmin.AccountListParams) ([]*smsadmin.Account, error) {
	return list(ctx, t, "accounts", scanAccount,
		`SELECT `+accountColumns+` FROM accounts WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		p.TenantID, p.After, limit(p.Limit))
}

// AccountUpdate writes a's Name, PasswordHash, DisabledAt, FailedSignIns,
// LockedUntil and Mail; not_found if its tenant has no account a.ID.
func (t *tx) AccountUpdate(ctx context.Context, a *smsadmin.Account) error {
	mail, err := sqlstore.NullJSON(a.Mail)
	if err != nil {
		return fmt.Errorf("postgres: account %s: %w", a.ID, err)
	}
	err = mustAffect(t.exec(ctx, `UPDATE accounts SET name = $1, password_hash = $2, disabled_at = $3,
		failed_sign_ins = $4, locked_until = $5, mail = $6 WHERE tenant_id = $7 AND id = $8`,
		a.Name, a.PasswordHash, a.DisabledAt, a.FailedSignIns, a.LockedUntil, mail, a.TenantID, a.ID))
	return check(err, accountRow(a))
}

func accountRow(a *smsadmin.Account) row {
	return row{noun: "Account", id: a.ID,
		conflicts: map[string]string{"accounts_email": fmt.Sprintf("An account with email %s already exists.", a.Email)}}
}

func scanAccount(s scanner) (*smsadmin.Account, error) {
	var a smsadmin.Account
	if err := s.Scan(&a.ID, &a.TenantID, &a.Role, &a.Email, &a.Name, &a.PasswordHash, &a.CreatedAt, &a.CreatedBy,
		&a.DisabledAt, &a.FailedSignIns, &a.LockedUntil, sqlstore.NullJSONCol[smsadmin.MailChoices]{V: &a.Mail}); err != nil {
		return nil, err
	}
	return &a, nil
}

const sessionColumns = `id, token_hash, tenant_id, account_id, principal_id, created_at, expires_at, revoked_at`

// SessionCreate inserts s. Conflict if its ID or token hash is taken;
// not_found if its account or principal does not exist.
func (t *tx) SessionCreate(ctx context.Context, s *smsadmin.Session) error {
	_, err := t.exec(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (`+params(1, 8)+`)`,
		s.ID, s.TokenHash, s.TenantID, sqlstore.NullString(s.AccountID), sqlstore.NullString(s.PrincipalID),
		s.CreatedAt, s.ExpiresAt, s.RevokedAt)
	return check(err, row{noun: "Session", id: s.ID, parent: "Account or principal", parentID: s.AccountID + s.PrincipalID})
}

// SessionGetByTokenHash returns the session whose token has this hash, or
// not_found.
func (t *tx) SessionGetByTokenHash(ctx context.Context, hash []byte) (*smsadmin.Session, error) {
	s, err := scanSession(t.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = $1`, hash))
	if err != nil {
		// Never put the hash in a message: it identifies a credential.
		return nil, check(err, row{noun: "Session", id: "with this token"})
	}
	return s, nil
}

// SessionUpdate writes s.RevokedAt; not_found if there is no session s.ID.
func (t *tx) SessionUpdate(ctx context.Context, s *smsadmin.Session) error {
	err := mustAffect(t.exec(ctx, `UPDATE sessions SET revoked_at = $1 WHERE id = $2`, s.RevokedAt, s.ID))
	return check(err, row{noun: "Session", id: s.ID})
}

// SessionDeleteExpired deletes the sessions that expired before before.
func (t *tx) SessionDeleteExpired(ctx context.Context, before time.Time) (int, error) {
	tag, err := t.exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("postgres: deleting expired sessions: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

func scanSession(s scanner) (*smsadmin.Session, error) {
	var r smsadmin.Session
	if err := s.Scan(&r.ID, &r.TokenHash, &r.TenantID, sqlstore.EmptyNullCol{S: &r.AccountID}, sqlstore.EmptyNullCol{S: &r.PrincipalID},
		&r.CreatedAt, &r.ExpiresAt, &r.RevokedAt); err != nil {
		return nil, err
	}
	return &r, nil
}
