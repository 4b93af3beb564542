package postgres

import (
	"context"
	"fmt"
	"smsadmin/internal/sqlstore"

	"smsadmin"
)

// brandColumns are a brand's columns: its key and creation time, then the
// columns BrandUpdate writes (brandUpdated), in the order of brandArgs.
const (
	brandColumns = `tenant_id, id, created_at, ` + brandUpdated
	brandUpdated = `legal_name, country, tax_id, website, vertical, contact_email, updated_at, details, ` + registrationColumns
)

// BrandCreate inserts b with its Registration and Work. Conflict if its ID
// is taken or its carrier reference is another brand's; not_found if the
// tenant does not exist.
func (t *tx) BrandCreate(ctx context.Context, b *smsadmin.Brand) error {
	args, err := brandArgs(b)
	if err != nil {
		return err
	}
	args = append([]any{b.TenantID, b.ID, b.CreatedAt}, args...)
	_, err = t.exec(ctx, `INSERT INTO brands (`+brandColumns+`) VALUES (`+params(1, len(args))+`)`, args...)
	return check(err, brandRow(b))
}

// BrandGet returns the tenant's brand id, or not_found.
func (t *tx) BrandGet(ctx context.Context, tenantID, id string) (*smsadmin.Brand, error) {
	b, err := scanBrand(t.queryRow(ctx, `SELECT `+brandColumns+` FROM brands WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if err != nil {
		return nil, check(err, row{noun: "Brand", id: id})
	}
	return b, nil
}

// BrandList returns a tenant's brands in ID order, after p.After.
func (t *tx) BrandList(ctx context.Context, p smsadmin.BrandListParams) ([]*smsadmin.Brand, error) {
	return list(ctx, t, "brands", scanBrand,
		`SELECT `+brandColumns+` FROM brands WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		p.TenantID, p.After, limit(p.Limit))
}

// BrandUpdate writes every field of b but ID, TenantID and CreatedAt;
// not_found if its tenant has no brand b.ID, conflict if its carrier
// reference is another brand's.
func (t *tx) BrandUpdate(ctx context.Context, b *smsadmin.Brand) error {
	args, err := brandArgs(b)
	if err != nil {
		return err
	}
	err = mustAffect(t.exec(ctx, `UPDATE brands SET `+assign(brandUpdated, 3)+` WHERE tenant_id = $1 AND id = $2`,
		append([]any{b.TenantID, b.ID}, args...)...))
	return check(err, brandRow(b))
}

// BrandDelete removes the tenant's brand id; not_found if it has none,
// conflict while a campaign of it remains (campaigns_brand_fk).
func (t *tx) BrandDelete(ctx context.Context, tenantID, id string) error {
	err := mustAffect(t.exec(ctx, `DELETE FROM brands WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return check(err, row{noun: "Brand", id: id, tenantID: tenantID, inUse: fmt.Sprintf("Brand %s still has campaigns.", id)})
}

// brandArgs returns the stored values of the fields BrandUpdate writes, in
// the order of brandUpdated.
func brandArgs(b *smsadmin.Brand) ([]any, error) {
	reg, err := registrationArgs(&b.Registration)
	if err != nil {
		return nil, fmt.Errorf("postgres: brand %s: %w", b.ID, err)
	}
	details, err := sqlstore.JSONDoc(&b.BrandDetails)
	if err != nil {
		return nil, fmt.Errorf("postgres: brand %s: %w", b.ID, err)
	}
	args := []any{b.LegalName, b.Country, b.TaxID, b.Website, b.Vertical, b.ContactEmail, b.UpdatedAt, details}
	return append(args, reg...), nil
}

func brandRow(b *smsadmin.Brand) row {
	return row{noun: "Brand", id: b.ID, tenantID: b.TenantID,
		conflicts: map[string]string{"brands_carrier_ref": fmt.Sprintf("A brand with carrier reference %s already exists.", b.CarrierRef)}}
}

func scanBrand(s scanner) (*smsadmin.Brand, error) {
	var b smsadmin.Brand
	dest := append([]any{&b.TenantID, &b.ID, &b.CreatedAt, &b.LegalName, &b.Country, &b.TaxID, &b.Website, &b.Vertical,
		&b.ContactEmail, &b.UpdatedAt, sqlstore.JSONDocCol[smsadmin.BrandDetails]{V: &b.BrandDetails}}, registrationDest(&b.Registration)...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	return &b, nil
}
