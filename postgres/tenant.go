package postgres

import (
	"context"

	"smsadmin"
)

// TenantCreate inserts tn. Conflict if its ID is taken.
func (t *tx) TenantCreate(ctx context.Context, tn *smsadmin.Tenant) error {
	_, err := t.exec(ctx, `INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)`, tn.ID, tn.Name, tn.CreatedAt)
	return check(err, row{noun: "Tenant", id: tn.ID})
}

// TenantGet returns the tenant id, or not_found.
func (t *tx) TenantGet(ctx context.Context, id string) (*smsadmin.Tenant, error) {
	tn, err := scanTenant(t.queryRow(ctx, `SELECT id, name, created_at FROM tenants WHERE id = $1`, id))
	if err != nil {
		return nil, check(err, row{noun: "Tenant", id: id})
	}
	return tn, nil
}

// TenantList returns tenants in ID order, after p.After.
func (t *tx) TenantList(ctx context.Context, p smsadmin.ListParams) ([]*smsadmin.Tenant, error) {
	return list(ctx, t, "tenants", scanTenant,
		`SELECT id, name, created_at FROM tenants WHERE id > $1 ORDER BY id LIMIT $2`, p.After, limit(p.Limit))
}

func scanTenant(s scanner) (*smsadmin.Tenant, error) {
	var tn smsadmin.Tenant
	if err := s.Scan(&tn.ID, &tn.Name, &tn.CreatedAt); err != nil {
		return nil, err
	}
	return &tn, nil
}
