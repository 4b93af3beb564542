package smsadmin

import (
	"context"
	"time"
)

// SMSNumber is a number as the SMS page and the user profile show it.
type SMSNumber struct {
	Number           string       `json:"number"`
	UserID           *string      `json:"user_id"`
	Status           NumberStatus `json:"status"`
	PendingOperation *NumberOp    `json:"pending_operation"`
	CampaignID       *string      `json:"campaign_id"`
	IsDefault        bool         `json:"is_default"`
	FailureReason    *string      `json:"failure_reason"`
	Overdue          bool         `json:"overdue"`
	UpdatedAt        time.Time    `json:"updated_at"`
}

// smsView renders a number for people.
func (s *Service) smsView(n *PhoneNumber) *SMSNumber {
	v := &SMSNumber{Number: n.Number, Status: n.SMS.Status, IsDefault: n.SMS.IsDefaultSMS() && n.UserID != "", UpdatedAt: n.UpdatedAt}
	if n.UserID != "" {
		v.UserID = &n.UserID
	}
	if op := n.SMS.PendingOperation; op != "" {
		v.PendingOperation = &op
	}
	if id := n.SMS.CampaignID; id != "" {
		v.CampaignID = &id
	} else if id := n.SMS.CarrierCampaignID; id != "" {
		v.CampaignID = &id
	}
	if f := n.SMS.Failure; f != nil && n.SMS.Op == "" {
		r := f.Reason
		v.FailureReason = &r
	}
	v.Overdue = n.SMS.PendingSince != nil && s.now().Sub(*n.SMS.PendingSince) > s.window
	return v
}

// SMSFilter narrows the SMS page's list.
type SMSFilter struct {
	Status     NumberStatus
	CampaignID string
	Overdue    bool // pending longer than the provisioning window
}

// ListSMSNumbers lists the SMS page's numbers: every number whose SMS
// status is not disabled, ordered by number.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for the status disabled, or a bad limit or cursor.
func (s *Service) ListSMSNumbers(ctx context.Context, tenantID string, f SMSFilter, req PageRequest) (Page[*SMSNumber], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*SMSNumber]{}, err
	}
	if f.Status == NumberDisabled {
		return Page[*SMSNumber]{}, FieldErrorf("status", "invalid", "Disabled numbers are not on the SMS page; a user's profile (GET .../users/{user}/sms) shows them.")
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
// ones included, and whether the user can send (R20, as the diagnosis
// answers it). A user token may read its own.
//
// Errors: forbidden (CodeForbidden) for a user token naming another user;
// not_found (CodeNotFound) for another tenant or an unknown user.
func (s *Service) GetUserSMS(ctx context.Context, tenantID, userID string) (*UserSMS, error) {
	if _, err := s.authorizeUser(ctx, tenantID, userID); err != nil {
		return nil, err
	}
	out := &UserSMS{Numbers: []*SMSNumber{}}
	err := s.store.View(ctx, func(tx Tx) error {
		u, err := getUser(ctx, tx, tenantID, userID)
		if err != nil {
			return err
		}
		f, nums, err := s.smsFacts(ctx, tx, u)
		if err != nil {
			return err
		}
		for _, n := range nums {
			out.Numbers = append(out.Numbers, s.smsView(n))
		}
		out.CanSend = Diagnose(f).CanSend
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// smsNumberOf returns the user's default SMS number (R4), or nil.
func smsNumberOf(ctx context.Context, tx Tx, u *User) (*string, error) {
	_, def, err := userNumbers(ctx, tx, u)
	if def == nil || err != nil {
		return nil, err
	}
	return &def.Number, nil
}

// userNumbers reads u's numbers and picks their default SMS number (R4),
// nil when none.
func userNumbers(ctx context.Context, tx Tx, u *User) (nums []*PhoneNumber, def *PhoneNumber, err error) {
	if len(u.PhoneNumbers) == 0 {
		return nil, nil, nil
	}
	nums, err = tx.NumberList(ctx, NumberListParams{TenantID: u.TenantID, UserID: u.ID, ListParams: ListParams{Limit: MaxPageLimit}})
	if err != nil {
		return nil, nil, err
	}
	for _, n := range nums {
		if n.SMS.IsDefaultSMS() {
			def = n
		}
	}
	return nums, def, nil
}
