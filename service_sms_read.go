package smsadmin

import (
	"context"
	"time"
)

// SMSFilter narrows the SMS page's list.
type SMSFilter struct {
	Status     NumberStatus
	CampaignID string
	Overdue    bool // pending longer than the provisioning window
}

// ListSMSNumbers lists the SMS page's numbers: every number whose SMS
// status is not disabled, ordered by number.
func (s *Service) ListSMSNumbers(ctx context.Context, tenantID string, f SMSFilter, req PageRequest) (Page[*SMSNumber], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*SMSNumber]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*SMSNumber]{}, err
	}
	p := NumberListParams{TenantID: tenantID, Listed: true, Status: f.Status, CampaignID: f.CampaignID, ListParams: lp}
	if f.Overdue {
		before := s.now().Add(-s.window)
		p.PendingBefore = &before
	}
	var rows []*PhoneNumber
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = tx.NumberList(ctx, p)
		return err
	})
	if err != nil {
		return Page[*SMSNumber]{}, err
	}
	views := make([]*SMSNumber, len(rows))
	for i, n := range rows {
		views[i] = s.smsView(n)
	}
	return newPage(views, limit, func(v *SMSNumber) string { return v.Number }), nil
}

// UserSMS is the user profile's SMS section.
type UserSMS struct {
	Numbers []*SMSNumber `json:"numbers"`
	CanSend bool         `json:"can_send"`
}

// GetUserSMS lists every number of a user with its SMS status, disabled
// ones included, and whether the user can send (R20). A user token may read
// its own.
func (s *Service) GetUserSMS(ctx context.Context, tenantID, userID string) (*UserSMS, error) {
	a, err := s.authorize(ctx, tenantID, accessUser)
	if err != nil {
		return nil, err
	}
	if a.Role == RoleUser && a.UserID != userID {
		return nil, Errorf(CodeForbidden, "A user token may read only its own SMS status.")
	}
	out := &UserSMS{Numbers: []*SMSNumber{}}
	err = s.store.View(ctx, func(tx Tx) error {
		u, err := getUser(ctx, tx, tenantID, userID)
		if err != nil {
			return err
		}
		nums, err := tx.NumberList(ctx, NumberListParams{TenantID: tenantID, UserID: userID, ListParams: ListParams{Limit: MaxPageLimit}})
		if err != nil {
			return err
		}
		for _, n := range nums {
			out.Numbers = append(out.Numbers, s.smsView(n))
			if n.SMS.Counts() && u.HasLicense() && n.SMS.Status == NumberEnabledAssigned {
				c, err := tx.CampaignGet(ctx, tenantID, n.SMS.CampaignID)
				if err != nil {
					return err
				}
				out.CanSend = s.campaignUsable(ctx, tx, c) == nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// smsNumberOf returns the user's default SMS number (R4), or nil.
func smsNumberOf(ctx context.Context, tx Tx, u *User) (*string, error) {
	if len(u.PhoneNumbers) == 0 {
		return nil, nil
	}
	nums, err := tx.NumberList(ctx, NumberListParams{TenantID: u.TenantID, UserID: u.ID, ListParams: ListParams{Limit: MaxPageLimit}})
	if err != nil {
		return nil, err
	}
	for _, n := range nums {
		if n.SMS.Counts() {
			num := n.Number
			return &num, nil
		}
	}
	return nil, nil
}

// SetNumberLimit changes how many numbers a campaign may hold (R9). Only
// support, only on a verified campaign, never below the numbers it counts
// now. Errors: forbidden, not_found, validation_failed, conflict.
func (s *Service) SetNumberLimit(ctx context.Context, tenantID, campaignID string, limit int) (*Campaign, error) {
	if _, err := s.authorizeSupport(ctx); err != nil {
		return nil, err
	}
	if limit < 1 || limit > MaxNumberLimit {
		return nil, FieldErrorf("number_limit", "out_of_range", "number_limit must be between 1 and %d.", MaxNumberLimit)
	}
	var c *Campaign
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.CampaignGet(ctx, tenantID, campaignID); err != nil {
			return err
		}
		if c.Status != StatusVerified || c.DeactivateRequested {
			return Errorf(CodeConflict, "Campaign %s is %s; only a verified campaign's limit can change.", c.ID, c.Status)
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
// confirmation (confirmation_required). Every number it counts is disabled
// (Pending, then Disabled); the campaign can never be edited, submitted or
// assigned to again. The carrier is told in the background. Deactivating
// twice is not an error.
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
		if c.DeactivateRequested {
			return nil
		}
		now := s.now()
		before := *c
		c.DeactivateRequested = true
		c.Status, c.UpdatedAt = StatusDeactivated, now
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
	p := NumberListParams{TenantID: c.TenantID, CampaignID: c.ID, ListParams: ListParams{Limit: MaxPageLimit}}
	for {
		nums, err := tx.NumberList(ctx, p)
		if err != nil {
			return err
		}
		for _, n := range nums {
			if n.SMS.SMSOn {
				if err := s.disable(ctx, tx, n, now); err != nil {
					return err
				}
			}
		}
		if len(nums) < p.Limit {
			return nil
		}
		p.After = nums[len(nums)-1].Number
	}
}
