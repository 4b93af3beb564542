package sqlite

import (
	"context"
	"fmt"
	"smsadmin/internal/sqlstore"

	"smsadmin"
)

const brandColumns = `tenant_id, id, legal_name, country, tax_id, website, vertical, contact_email, created_at, updated_at, details, ` +
	registrationColumns

// BrandCreate inserts b with its Registration and Work. Conflict if its ID
// is taken in its tenant or its carrier reference by another brand;
// not_found if the tenant does not exist.
func (t *tx) BrandCreate(ctx context.Context, b *smsadmin.Brand) error {
	reg, err := registrationArgs(&b.Registration)
	if err != nil {
		return fmt.Errorf("sqlite: brand %s: %w", b.ID, err)
	}
	details, err := sqlstore.JSONDoc(&b.BrandDetails)
	if err != nil {
		return fmt.Errorf("sqlite: brand %s: %w", b.ID, err)
	}
	args := append([]any{b.TenantID, b.ID, b.LegalName, b.Country, b.TaxID, b.Website, b.Vertical, b.ContactEmail,
		formatTime(b.CreatedAt), formatTime(b.UpdatedAt), details}, reg...)
	_, err = t.db.ExecContext(ctx, `INSERT INTO brands (`+brandColumns+`) VALUES (`+marks(len(args))+`)`, args...)
	return t.check(ctx, err, brandRow(b))
}

// BrandGet returns the tenant's brand id, or not_found.
func (t *tx) BrandGet(ctx context.Context, tenantID, id string) (*smsadmin.Brand, error) {
	b, err := scanBrand(t.db.QueryRowContext(ctx, `SELECT `+brandColumns+` FROM brands
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return nil, t.check(ctx, err, row{noun: "Brand", id: id})
	}
	return b, nil
}

// BrandList returns a tenant's brands in ID order, after p.After.
func (t *tx) BrandList(ctx context.Context, p smsadmin.BrandListParams) ([]*smsadmin.Brand, error) {
	return list(ctx, t, "brands", scanBrand,
		`SELECT `+brandColumns+` FROM brands WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		p.TenantID, p.After, limit(p.Limit))
}

// BrandUpdate writes every field of b but ID, TenantID and CreatedAt;
// not_found if its tenant has no brand b.ID, conflict if its carrier
// reference is another brand's.
func (t *tx) BrandUpdate(ctx context.Context, b *smsadmin.Brand) error {
	reg, err := registrationArgs(&b.Registration)
	if err != nil {
		return fmt.Errorf("sqlite: brand %s: %w", b.ID, err)
	}
	details, err := sqlstore.JSONDoc(&b.BrandDetails)
	if err != nil {
		return fmt.Errorf("sqlite: brand %s: %w", b.ID, err)
	}
	args := []any{b.LegalName, b.Country, b.TaxID, b.Website, b.Vertical, b.ContactEmail, formatTime(b.UpdatedAt), details}
	args = append(append(args, reg...), b.TenantID, b.ID)
	err = mustAffect(t.db.ExecContext(ctx, `UPDATE brands SET legal_name = ?, country = ?, tax_id = ?, website = ?,
		vertical = ?, contact_email = ?, updated_at = ?, details = ?, `+registrationSet+`
		WHERE tenant_id = ? AND id = ?`, args...))
	return t.check(ctx, err, brandRow(b))
}

// BrandDelete removes the tenant's brand id; not_found if it has none,
// conflict while a campaign of it remains (the campaigns' foreign key).
func (t *tx) BrandDelete(ctx context.Context, tenantID, id string) error {
	err := mustAffect(t.db.ExecContext(ctx, `DELETE FROM brands WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return t.check(ctx, err, row{noun: "Brand", id: id, tenantID: tenantID,
		inUse: fmt.Sprintf("Brand %s still has campaigns.", id)})
}

func brandRow(b *smsadmin.Brand) row {
	return row{noun: "Brand", id: b.ID, tenantID: b.TenantID,
		conflicts: map[string]string{"brands.carrier_ref": fmt.Sprintf("A brand with carrier reference %s already exists.", b.CarrierRef)}}
}

func scanBrand(s scanner) (*smsadmin.Brand, error) {
	var b smsadmin.Brand
	dest := append([]any{&b.TenantID, &b.ID, &b.LegalName, &b.Country, &b.TaxID, &b.Website, &b.Vertical, &b.ContactEmail,
		timeCol{&b.CreatedAt}, timeCol{&b.UpdatedAt}, sqlstore.JSONDocCol[smsadmin.BrandDetails]{V: &b.BrandDetails}}, registrationDest(&b.Registration)...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	return &b, nil
}
