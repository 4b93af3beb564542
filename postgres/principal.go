package postgres

import (
	"context"
	"fmt"
	"smsadmin/internal/sqlstore"

	"smsadmin"
)

const principalColumns = `id, tenant_id, role, user_id, name, token_hash, created_at, created_by, revoked_at,
	expires_at, bootstrap`

// PrincipalCreate inserts p. Conflict if its ID or token hash is taken;
// not_found if it names a user its tenant does not have.
func (t *tx) PrincipalCreate(ctx context.Context, p *smsadmin.Principal) error {
	_, err := t.exec(ctx, `INSERT INTO principals (`+principalColumns+`) VALUES (`+params(1, 11)+`)`,
		p.ID, p.TenantID, string(p.Role), sqlstore.NullString(p.UserID), p.Name, p.TokenHash,
		p.CreatedAt, p.CreatedBy, p.RevokedAt, p.ExpiresAt, p.Bootstrap)
	return check(err, row{noun: "Principal", id: p.ID, tenantID: p.TenantID, parent: "User", parentID: p.UserID,
		conflicts: map[string]string{"principals_token_hash": "A principal with this token already exists."}})
}

// PrincipalGetByTokenHash returns the principal holding the token with this
// hash, in any tenant, revoked or not; not_found if none.
func (t *tx) PrincipalGetByTokenHash(ctx context.Context, hash []byte) (*smsadmin.Principal, error) {
	p, err := scanPrincipal(t.queryRow(ctx, `SELECT `+principalColumns+` FROM principals WHERE token_hash = $1`, hash))
	if err != nil {
		// Never put the hash in a message: it identifies a credential.
		return nil, check(err, row{noun: "Principal", id: "with this token"})
	}
	return p, nil
}

// PrincipalGet returns the principal id of the tenant ("" for support), or
// not_found.
func (t *tx) PrincipalGet(ctx context.Context, tenantID, id string) (*smsadmin.Principal, error) {
	p, err := scanPrincipal(t.queryRow(ctx, `SELECT `+principalColumns+` FROM principals
		WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if err != nil {
		return nil, check(err, row{noun: "Principal", id: id})
	}
	return p, nil
}

// PrincipalList returns a tenant's principals in ID order, after p.After.
func (t *tx) PrincipalList(ctx context.Context, p smsadmin.PrincipalListParams) ([]*smsadmin.Principal, error) {
	return list(ctx, t, "principals", scanPrincipal,
		`SELECT `+principalColumns+` FROM principals WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		p.TenantID, p.After, limit(p.Limit))
}

// PrincipalUpdate writes p's Name and RevokedAt; not_found if its tenant
// has no principal p.ID.
func (t *tx) PrincipalUpdate(ctx context.Context, p *smsadmin.Principal) error {
	err := mustAffect(t.exec(ctx, `UPDATE principals SET name = $1, revoked_at = $2
		WHERE tenant_id = $3 AND id = $4`, p.Name, p.RevokedAt, p.TenantID, p.ID))
	return check(err, row{noun: "Principal", id: p.ID})
}

// PrincipalCount counts the principals of every tenant, support included.
func (t *tx) PrincipalCount(ctx context.Context) (int, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT count(*) FROM principals`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: counting principals: %w", err)
	}
	return n, nil
}

func scanPrincipal(s scanner) (*smsadmin.Principal, error) {
	var p smsadmin.Principal
	if err := s.Scan(&p.ID, &p.TenantID, &p.Role, sqlstore.EmptyNullCol{S: &p.UserID}, &p.Name, &p.TokenHash,
		&p.CreatedAt, &p.CreatedBy, &p.RevokedAt, &p.ExpiresAt, &p.Bootstrap); err != nil {
		return nil, err
	}
	return &p, nil
}
