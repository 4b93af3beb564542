package smsadmin

import (
	"context"
	"time"
)

// MaxNumberLimit is the highest campaign number limit support may set.
const MaxNumberLimit = 100000

// SetNumberLimit changes how many numbers a campaign may hold (R9). Only
// support, only on a verified campaign, never below the numbers it counts
// now.
//
// Errors: forbidden (CodeForbidden) unless the actor is support;
// validation_failed (CodeValidationFailed) for a limit outside
// 1..MaxNumberLimit; not_found (CodeNotFound) for an unknown campaign;
// conflict (CodeConflict) when the campaign is not verified, counts more
// numbers than limit, or is a sole proprietor's (one number, R23).
func (s *Service) SetNumberLimit(ctx context.Context, tenantID, campaignID string, limit int) (*Campaign, error) {
	if _, err := s.authorizeSupport(ctx); err != nil {
		return nil, err
	}
	if limit < 1 || limit > MaxNumberLimit {
		return nil, FieldErrorf("number_limit", "out_of_range", "number_limit must be a whole number between 1 and %d, not %d.", MaxNumberLimit, limit)
	}
	var c *Campaign
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.CampaignGet(ctx, tenantID, campaignID); err != nil {
			return err
		}
		if c.Status != StatusVerified || c.Deactivated() {
			return Errorf(CodeConflict, "Campaign %s is %s; only a verified campaign's limit can change.", c.ID, c.Status)
		}
		if limit > SoleProprietorNumberLimit {
			b, err := tx.BrandGet(ctx, tenantID, c.BrandID)
			if err != nil {
				return err
			}
			if b.EntityType == EntitySoleProprietor {
				return Errorf(CodeConflict, "Campaign %s is a sole proprietor's, which carriers allow %d number (R23); its limit cannot be raised.", c.ID, SoleProprietorNumberLimit)
			}
		}
		if limit < c.NumberCount {
			return Errorf(CodeConflict, "Campaign %s counts %d numbers; its limit cannot go below that (asked %d).", c.ID, c.NumberCount, limit)
		}
		if limit == c.NumberLimit {
			return nil
		}
		before := *c
		c.NumberLimit, c.UpdatedAt = limit, s.now()
		if err := tx.CampaignUpdate(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionCampaignLimit, "campaign/"+c.ID, &before, c)
	})
	if err != nil {
		return nil, err
	}
	s.decorate(&c.Registration)
	return c, nil
}

// DeactivateCampaign ends a campaign for good (R14), after an explicit
// confirmation. Every number it counts is disabled (Pending, then
// Disabled); the campaign can never be edited, submitted or assigned to
// again. The carrier is told in the background. Deactivating twice is not
// an error.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown campaign;
// confirmation_required (CodeConfirmationRequired) when confirm is false.
func (s *Service) DeactivateCampaign(ctx context.Context, tenantID, campaignID string, confirm bool) (*Campaign, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	if !confirm {
		return nil, Errorf(CodeConfirmationRequired, "Deactivating a campaign is permanent and disables SMS on all its numbers; send {\"confirm\": true} to go ahead.")
	}
	var c *Campaign
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.CampaignGet(ctx, tenantID, campaignID); err != nil {
			return err
		}
		if c.Deactivated() {
			return nil
		}
		now := s.now()
		before := *c
		c.DeactivateRequested = true
		c.Status, c.StatusAt, c.UpdatedAt = StatusDeactivated, &now, now
		c.Work.DueAt = &now
		if c.CarrierRef == "" {
			c.Work.DueAt = nil // the carrier never knew it
		}
		if err := tx.CampaignUpdate(ctx, c); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, tenantID, ActionCampaignDeactivate, "campaign/"+c.ID, &before, c); err != nil {
			return err
		}
		return s.disableCampaignNumbers(ctx, tx, c, now)
	})
	if err != nil {
		return nil, err
	}
	s.notify()
	s.decorate(&c.Registration)
	return c, nil
}

// disableCampaignNumbers disables every number counting toward c (R14).
func (s *Service) disableCampaignNumbers(ctx context.Context, tx Tx, c *Campaign, now time.Time) error {
	return forEach("", func(p ListParams) ([]*PhoneNumber, error) {
		return tx.NumberList(ctx, NumberListParams{TenantID: c.TenantID, CampaignID: c.ID, ListParams: p})
	}, func(n *PhoneNumber) string { return n.Number }, func(n *PhoneNumber) error {
		if !n.SMS.WantSMS {
			return nil
		}
		return s.disable(ctx, tx, n, now, CauseCampaignDeactivated)
	})
}
