package sqlite

import (
	"context"

	"smsadmin"
)

// TenantCreate inserts tn. Conflict if its ID is taken.
func (t *tx) TenantCreate(ctx context.Context, tn *smsadmin.Tenant) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)`,
		tn.ID, tn.Name, formatTime(tn.CreatedAt))
	return t.check(ctx, err, row{noun: "Tenant", id: tn.ID})
}

// TenantGet returns the tenant id, or not_found.
func (t *tx) TenantGet(ctx context.Context, id string) (*smsadmin.Tenant, error) {
	tn, err := scanTenant(t.db.QueryRowContext(ctx, `SELECT id, name, created_at FROM tenants WHERE id = ?`, id))
	if err != nil {
		return nil, t.check(ctx, err, row{noun: "Tenant", id: id})
	}
	return tn, nil
}

// TenantList returns tenants in ID order, after p.After.
func (t *tx) TenantList(ctx context.Context, p smsadmin.ListParams) ([]*smsadmin.Tenant, error) {
	return list(ctx, t, "tenants", scanTenant,
		`SELECT id, name, created_at FROM tenants WHERE id > ? ORDER BY id LIMIT ?`,
		p.After, limit(p.Limit))
}

func scanTenant(s scanner) (*smsadmin.Tenant, error) {
	var tn smsadmin.Tenant
	if err := s.Scan(&tn.ID, &tn.Name, timeCol{&tn.CreatedAt}); err != nil {
		return nil, err
	}
	return &tn, nil
}
