package postgres

import (
	"context"
	"fmt"
	"smsadmin/internal/sqlstore"

	"smsadmin"
)

// campaignColumns are a campaign's columns: its key and creation time, then
// the columns CampaignUpdate writes (campaignUpdated), in the order of
// campaignArgs. campaignSelect reads them with NumberCount, which
// CampaignCountAdd keeps; the caller appends its WHERE.
const (
	campaignColumns = `tenant_id, id, brand_id, created_at, ` + campaignUpdated
	campaignUpdated = `country, use_case, description, sample_messages, opt_in_description, help_message, stop_message,
	number_limit, deactivate_requested, updated_at, details, ` + registrationColumns
	campaignSelect = `SELECT ` + campaignColumns + `, number_count FROM campaigns`
)

// CampaignCreate inserts c with its Registration and Work. Conflict if its
// ID is taken or its carrier reference is another campaign's; not_found if
// the tenant or the brand (in that tenant) does not exist.
func (t *tx) CampaignCreate(ctx context.Context, c *smsadmin.Campaign) error {
	args, err := campaignArgs(c)
	if err != nil {
		return err
	}
	args = append([]any{c.TenantID, c.ID, c.BrandID, c.CreatedAt}, args...)
	_, err = t.exec(ctx, `INSERT INTO campaigns (`+campaignColumns+`) VALUES (`+params(1, len(args))+`)`, args...)
	return check(err, campaignRow(c))
}

// CampaignGet returns the tenant's campaign id with its NumberCount, or
// not_found.
func (t *tx) CampaignGet(ctx context.Context, tenantID, id string) (*smsadmin.Campaign, error) {
	c, err := scanCampaign(t.queryRow(ctx, campaignSelect+` WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if err != nil {
		return nil, check(err, row{noun: "Campaign", id: id})
	}
	return c, nil
}

// CampaignList returns a tenant's campaigns in ID order with their
// NumberCount, after p.After, kept to p.BrandID's when set.
func (t *tx) CampaignList(ctx context.Context, p smsadmin.CampaignListParams) ([]*smsadmin.Campaign, error) {
	args := queryArgs{p.TenantID, p.After}
	q := campaignSelect + ` WHERE tenant_id = $1 AND id > $2`
	if p.BrandID != "" {
		q += ` AND brand_id = ` + args.add(p.BrandID)
	}
	q += ` ORDER BY id LIMIT ` + args.add(limit(p.Limit))
	return list(ctx, t, "campaigns", scanCampaign, q, args...)
}

// CampaignUpdate writes every field of c but ID, TenantID, BrandID,
// CreatedAt and NumberCount; not_found if its tenant has no campaign c.ID,
// conflict if its carrier reference is another campaign's.
func (t *tx) CampaignUpdate(ctx context.Context, c *smsadmin.Campaign) error {
	args, err := campaignArgs(c)
	if err != nil {
		return err
	}
	err = mustAffect(t.exec(ctx, `UPDATE campaigns SET `+assign(campaignUpdated, 3)+` WHERE tenant_id = $1 AND id = $2`,
		append([]any{c.TenantID, c.ID}, args...)...))
	return check(err, campaignRow(c))
}

// CampaignDelete removes the tenant's campaign id; not_found if it has
// none.
func (t *tx) CampaignDelete(ctx context.Context, tenantID, id string) error {
	err := mustAffect(t.exec(ctx, `DELETE FROM campaigns WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return check(err, row{noun: "Campaign", id: id, tenantID: tenantID})
}

// CampaignCountAdd adds delta to the campaign's number_count; not_found if
// its tenant has no campaign id. A count that would go below zero is an
// internal error (the column's CHECK): the service's bookkeeping is wrong.
func (t *tx) CampaignCountAdd(ctx context.Context, tenantID, id string, delta int) error {
	err := mustAffect(t.exec(ctx, `UPDATE campaigns SET number_count = number_count + $1
		WHERE tenant_id = $2 AND id = $3`, delta, tenantID, id))
	return check(err, row{noun: "Campaign", id: id})
}

// campaignArgs returns the stored values of the fields CampaignUpdate
// writes, in the order of campaignUpdated.
func campaignArgs(c *smsadmin.Campaign) ([]any, error) {
	samples, err := sqlstore.JSONList(c.SampleMessages)
	if err != nil {
		return nil, fmt.Errorf("postgres: campaign %s: %w", c.ID, err)
	}
	reg, err := registrationArgs(&c.Registration)
	if err != nil {
		return nil, fmt.Errorf("postgres: campaign %s: %w", c.ID, err)
	}
	details, err := sqlstore.JSONDoc(c.StoredDetails())
	if err != nil {
		return nil, fmt.Errorf("postgres: campaign %s: %w", c.ID, err)
	}
	args := []any{c.Country, c.UseCase, c.Description, samples, c.OptInDescription, c.HelpMessage, c.StopMessage,
		c.NumberLimit, c.DeactivateRequested, c.UpdatedAt, details}
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
	err := t.queryRow(ctx, `SELECT tenant_id FROM `+table+` WHERE id = $1`, id).Scan(&tenantID)
	if err != nil {
		return "", check(err, row{noun: noun, id: id})
	}
	return tenantID, nil
}

func campaignRow(c *smsadmin.Campaign) row {
	return row{noun: "Campaign", id: c.ID, tenantID: c.TenantID, parent: "Brand", parentID: c.BrandID,
		conflicts: map[string]string{"campaigns_carrier_ref": fmt.Sprintf("A campaign with carrier reference %s already exists.", c.CarrierRef)}}
}

// scanCampaign scans a row of campaignSelect.
func scanCampaign(s scanner) (*smsadmin.Campaign, error) {
	var c smsadmin.Campaign
	dest := append([]any{&c.TenantID, &c.ID, &c.BrandID, &c.CreatedAt, &c.Country, &c.UseCase,
		&c.Description, sqlstore.JSONListCol[string]{Items: &c.SampleMessages}, &c.OptInDescription, &c.HelpMessage, &c.StopMessage,
		&c.NumberLimit, &c.DeactivateRequested, &c.UpdatedAt, sqlstore.JSONDocCol[smsadmin.CampaignDetails]{V: &c.CampaignDetails}},
		append(registrationDest(&c.Registration), &c.NumberCount)...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	c.Read()
	return &c, nil
}
