package sqlite

import (
	"context"
	"fmt"
	"smsadmin/internal/sqlstore"

	"smsadmin"
)

// campaignColumns are a campaign's columns: its key and creation time, then
// the columns CampaignUpdate writes, in the order of campaignArgs.
const campaignColumns = `tenant_id, id, brand_id, created_at, country, use_case, description, sample_messages,
	opt_in_description, help_message, stop_message, number_limit, deactivate_requested, updated_at, details, ` + registrationColumns

// campaignSelect reads campaigns (FROM campaigns AS c, which the caller
// appends with its WHERE) with their NumberCount, which CampaignCountAdd
// keeps.
const campaignSelect = `SELECT ` + campaignColumns + `, c.number_count FROM campaigns AS c`

// CampaignCreate inserts c with its Registration and Work. Conflict if its
// ID is taken or its carrier reference is another campaign's; not_found if
// the tenant or the brand (in that tenant) does not exist.
func (t *tx) CampaignCreate(ctx context.Context, c *smsadmin.Campaign) error {
	args, err := campaignArgs(c)
	if err != nil {
		return err
	}
	args = append([]any{c.TenantID, c.ID, c.BrandID, formatTime(c.CreatedAt)}, args...)
	_, err = t.db.ExecContext(ctx, `INSERT INTO campaigns (`+campaignColumns+`) VALUES (`+marks(len(args))+`)`, args...)
	return t.check(ctx, err, campaignRow(c))
}

// CampaignGet returns the tenant's campaign id with its NumberCount, or
// not_found.
func (t *tx) CampaignGet(ctx context.Context, tenantID, id string) (*smsadmin.Campaign, error) {
	c, err := scanCampaign(t.db.QueryRowContext(ctx, campaignSelect+` WHERE c.tenant_id = ? AND c.id = ?`, tenantID, id))
	if err != nil {
		return nil, t.check(ctx, err, row{noun: "Campaign", id: id})
	}
	return c, nil
}

// CampaignList returns a tenant's campaigns in ID order with their
// NumberCount, after p.After, kept to p.BrandID's when set.
func (t *tx) CampaignList(ctx context.Context, p smsadmin.CampaignListParams) ([]*smsadmin.Campaign, error) {
	q := campaignSelect + ` WHERE c.tenant_id = ? AND c.id > ?`
	args := []any{p.TenantID, p.After}
	if p.BrandID != "" {
		q += ` AND c.brand_id = ?`
		args = append(args, p.BrandID)
	}
	q += ` ORDER BY c.id LIMIT ?`
	return list(ctx, t, "campaigns", scanCampaign, q, append(args, limit(p.Limit))...)
}

// CampaignUpdate writes every field of c but ID, TenantID, BrandID,
// CreatedAt and NumberCount; not_found if its tenant has no campaign c.ID,
// conflict if its carrier reference is another campaign's.
func (t *tx) CampaignUpdate(ctx context.Context, c *smsadmin.Campaign) error {
	args, err := campaignArgs(c)
	if err != nil {
		return err
	}
	err = mustAffect(t.db.ExecContext(ctx, `UPDATE campaigns SET country = ?, use_case = ?, description = ?,
		sample_messages = ?, opt_in_description = ?, help_message = ?, stop_message = ?, number_limit = ?,
		deactivate_requested = ?, updated_at = ?, details = ?, `+registrationSet+`
		WHERE tenant_id = ? AND id = ?`, append(args, c.TenantID, c.ID)...))
	return t.check(ctx, err, campaignRow(c))
}

// CampaignDelete removes the tenant's campaign id; not_found if it has
// none.
func (t *tx) CampaignDelete(ctx context.Context, tenantID, id string) error {
	err := mustAffect(t.db.ExecContext(ctx, `DELETE FROM campaigns WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return t.check(ctx, err, row{noun: "Campaign", id: id, tenantID: tenantID})
}

// CampaignCountAdd adds delta to the campaign's number_count; not_found if
// its tenant has no campaign id. A count that would go below zero is an
// internal error (the column's CHECK): the service's bookkeeping is wrong.
func (t *tx) CampaignCountAdd(ctx context.Context, tenantID, id string, delta int) error {
	err := mustAffect(t.db.ExecContext(ctx, `UPDATE campaigns SET number_count = number_count + ?
		WHERE tenant_id = ? AND id = ?`, delta, tenantID, id))
	return t.check(ctx, err, row{noun: "Campaign", id: id})
}

// campaignArgs returns the stored values of the fields CampaignUpdate
// writes, in the order of campaignColumns.
func campaignArgs(c *smsadmin.Campaign) ([]any, error) {
	samples, err := sqlstore.JSONList(c.SampleMessages)
	if err != nil {
		return nil, fmt.Errorf("sqlite: campaign %s: %w", c.ID, err)
	}
	reg, err := registrationArgs(&c.Registration)
	if err != nil {
		return nil, fmt.Errorf("sqlite: campaign %s: %w", c.ID, err)
	}
	details, err := sqlstore.JSONDoc(c.StoredDetails())
	if err != nil {
		return nil, fmt.Errorf("sqlite: campaign %s: %w", c.ID, err)
	}
	args := []any{c.Country, c.UseCase, c.Description, samples, c.OptInDescription, c.HelpMessage, c.StopMessage,
		c.NumberLimit, c.DeactivateRequested, formatTime(c.UpdatedAt), details}
	return append(args, reg...), nil
}

// CampaignLocate returns the tenant of campaign id, across tenants; campaign
// IDs are unique across tenants (see the migration). not_found if none.
func (t *tx) CampaignLocate(ctx context.Context, id string) (string, error) {
	return t.locate(ctx, "campaigns", "Campaign", id)
}

// BrandLocate returns the tenant of brand id, across tenants, as
// CampaignLocate does for campaigns.
func (t *tx) BrandLocate(ctx context.Context, id string) (string, error) {
	return t.locate(ctx, "brands", "Brand", id)
}

// locate returns the tenant of the row of table whose id is id.
func (t *tx) locate(ctx context.Context, table, noun, id string) (string, error) {
	var tenantID string
	err := t.db.QueryRowContext(ctx, `SELECT tenant_id FROM `+table+` WHERE id = ?`, id).Scan(&tenantID)
	if err != nil {
		return "", t.check(ctx, err, row{noun: noun, id: id})
	}
	return tenantID, nil
}

func campaignRow(c *smsadmin.Campaign) row {
	return row{noun: "Campaign", id: c.ID, tenantID: c.TenantID, parent: "Brand", parentID: c.BrandID,
		conflicts: map[string]string{"campaigns.carrier_ref": fmt.Sprintf("A campaign with carrier reference %s already exists.", c.CarrierRef)}}
}

// scanCampaign scans a row of campaignSelect.
func scanCampaign(s scanner) (*smsadmin.Campaign, error) {
	var c smsadmin.Campaign
	dest := append([]any{&c.TenantID, &c.ID, &c.BrandID, timeCol{&c.CreatedAt}, &c.Country, &c.UseCase,
		&c.Description, sqlstore.JSONListCol[string]{Items: &c.SampleMessages}, &c.OptInDescription, &c.HelpMessage, &c.StopMessage,
		&c.NumberLimit, &c.DeactivateRequested, timeCol{&c.UpdatedAt}, sqlstore.JSONDocCol[smsadmin.CampaignDetails]{V: &c.CampaignDetails}},
		append(registrationDest(&c.Registration), &c.NumberCount)...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	c.Read()
	return &c, nil
}
