package sqlite

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
		return fmt.Errorf("sqlite: account %s: %w", a.ID, err)
	}
	_, err = t.db.ExecContext(ctx, `INSERT INTO accounts (`+accountColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.TenantID, string(a.Role), a.Email, a.Name, a.PasswordHash, formatTime(a.CreatedAt), a.CreatedBy,
		nullTime(a.DisabledAt), a.FailedSignIns, nullTime(a.LockedUntil), mail)
	return t.check(ctx, err, accountRow(a))
}

// AccountGet returns the account id of the tenant ("" for support), or
// not_found.
func (t *tx) AccountGet(ctx context.Context, tenantID, id string) (*smsadmin.Account, error) {
	a, err := scanAccount(t.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return nil, t.check(ctx, err, row{noun: "Account", id: id})
	}
	return a, nil
}

// AccountGetByEmail returns the account with this email, in any tenant, or
// not_found.
func (t *tx) AccountGetByEmail(ctx context.Context, email string) (*smsadmin.Account, error) {
	a, err := scanAccount(t.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE email = ?`, email))
	if err != nil {
		return nil, t.check(ctx, err, row{noun: "Account", id: email})
	}
	return a, nil
}

// AccountList returns a tenant's accounts in ID order, after p.After.
func (t *tx) AccountList(ctx context.Context, p smsadmin.AccountListParams) ([]*smsadmin.Account, error) {
	return list(ctx, t, "accounts", scanAccount,
		`SELECT `+accountColumns+` FROM accounts WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		p.TenantID, p.After, limit(p.Limit))
}

// AccountUpdate writes a's Name, PasswordHash, DisabledAt, FailedSignIns,
// LockedUntil and Mail; not_found if its tenant has no account a.ID.
func (t *tx) AccountUpdate(ctx context.Context, a *smsadmin.Account) error {
	mail, err := sqlstore.NullJSON(a.Mail)
	if err != nil {
		return fmt.Errorf("sqlite: account %s: %w", a.ID, err)
	}
	err = mustAffect(t.db.ExecContext(ctx, `UPDATE accounts SET name = ?, password_hash = ?, disabled_at = ?,
		failed_sign_ins = ?, locked_until = ?, mail = ? WHERE tenant_id = ? AND id = ?`,
		a.Name, a.PasswordHash, nullTime(a.DisabledAt), a.FailedSignIns, nullTime(a.LockedUntil), mail, a.TenantID, a.ID))
	return t.check(ctx, err, accountRow(a))
}

func accountRow(a *smsadmin.Account) row {
	return row{noun: "Account", id: a.ID,
		conflicts: map[string]string{"accounts.email": fmt.Sprintf("An account with email %s already exists.", a.Email)}}
}

func scanAccount(s scanner) (*smsadmin.Account, error) {
	var a smsadmin.Account
	if err := s.Scan(&a.ID, &a.TenantID, &a.Role, &a.Email, &a.Name, &a.PasswordHash, timeCol{&a.CreatedAt}, &a.CreatedBy,
		nullTimeCol{&a.DisabledAt}, &a.FailedSignIns, nullTimeCol{&a.LockedUntil}, sqlstore.NullJSONCol[smsadmin.MailChoices]{V: &a.Mail}); err != nil {
		return nil, err
	}
	return &a, nil
}

const sessionColumns = `id, token_hash, tenant_id, account_id, principal_id, created_at, expires_at, revoked_at`

// SessionCreate inserts s. Conflict if its ID or token hash is taken;
// not_found if its account or principal does not exist.
func (t *tx) SessionCreate(ctx context.Context, s *smsadmin.Session) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.TokenHash, s.TenantID, sqlstore.NullString(s.AccountID), sqlstore.NullString(s.PrincipalID),
		formatTime(s.CreatedAt), formatTime(s.ExpiresAt), nullTime(s.RevokedAt))
	if isForeignKeyViolation(err) {
		return errNotFound("Account or principal", s.AccountID+s.PrincipalID)
	}
	return t.check(ctx, err, row{noun: "Session", id: s.ID})
}

// SessionGetByTokenHash returns the session whose token has this hash, or
// not_found.
func (t *tx) SessionGetByTokenHash(ctx context.Context, hash []byte) (*smsadmin.Session, error) {
	s, err := scanSession(t.db.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = ?`, hash))
	if err != nil {
		// Never put the hash in a message: it identifies a credential.
		return nil, t.check(ctx, err, row{noun: "Session", id: "with this token"})
	}
	return s, nil
}

// SessionUpdate writes s.RevokedAt; not_found if there is no session s.ID.
func (t *tx) SessionUpdate(ctx context.Context, s *smsadmin.Session) error {
	err := mustAffect(t.db.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ?`, nullTime(s.RevokedAt), s.ID))
	return t.check(ctx, err, row{noun: "Session", id: s.ID})
}

// SessionDeleteExpired deletes the sessions that expired before before.
func (t *tx) SessionDeleteExpired(ctx context.Context, before time.Time) (int, error) {
	res, err := t.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, formatTime(before))
	if err != nil {
		return 0, fmt.Errorf("sqlite: deleting expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func scanSession(s scanner) (*smsadmin.Session, error) {
	var r smsadmin.Session
	if err := s.Scan(&r.ID, &r.TokenHash, &r.TenantID, sqlstore.EmptyNullCol{S: &r.AccountID}, sqlstore.EmptyNullCol{S: &r.PrincipalID},
		timeCol{&r.CreatedAt}, timeCol{&r.ExpiresAt}, nullTimeCol{&r.RevokedAt}); err != nil {
		return nil, err
	}
	return &r, nil
}
