package smsadmin

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
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
	// Search keeps the numbers that hold its digits, when it is written
	// as (part of) a number ("555 01", "+1 (415"), else the numbers of
	// users whose name or email holds it, in any case.
	Search string
	// Desc lists in descending order of number.
	Desc bool
}

// numberParams is the store's selection of f's numbers, as of now.
func (s *Service) numberParams(tenantID string, f SMSFilter) (NumberListParams, error) {
	if f.Status == NumberDisabled {
		return NumberListParams{}, FieldErrorf("status", "invalid", "Disabled numbers are not on the SMS page; a user's profile (GET .../users/{user}/sms) shows them.")
	}
	p := NumberListParams{TenantID: tenantID, Listed: true, Status: f.Status, CampaignID: f.CampaignID, Desc: f.Desc}
	if f.Overdue {
		before := s.now().Add(-s.window)
		p.PendingBefore = &before
	}
	q := strings.TrimSpace(f.Search)
	if problem := TextProblem(q, false); problem != "" || utf8.RuneCountInString(q) > MaxNameLength {
		return NumberListParams{}, FieldErrorf("q", "invalid", "The search must be at most %d characters of text.", MaxNameLength)
	}
	switch digits, isNumber := searchDigits(q); {
	case q == "":
	case isNumber:
		p.Digits = digits
	default:
		p.UserSearch = strings.ToLower(q)
	}
	return p, nil
}

// searchDigits reads a search written as (part of) a number: its digits,
// and whether it is one (digits, with the spaces, dashes, dots,
// parentheses and leading + a person types).
func searchDigits(q string) (string, bool) {
	var b strings.Builder
	for i, r := range q {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() > 0
}

// ListSMSNumbers lists the SMS page's numbers: every number whose SMS
// status is not disabled that f selects, ordered by number (descending
// with f.Desc).
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for the status disabled, a search that is not
// text or is too long, or a bad limit or cursor.
func (s *Service) ListSMSNumbers(ctx context.Context, tenantID string, f SMSFilter, req PageRequest) (Page[*SMSNumber], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*SMSNumber]{}, err
	}
	p, err := s.numberParams(tenantID, f)
	if err != nil {
		return Page[*SMSNumber]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*SMSNumber]{}, err
	}
	p.ListParams = lp
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

// CountSMSNumbers counts the SMS page's numbers that f selects, all
// pages, by status (f.Status aside, so that a filter shows every status's
// count); Total is their sum.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a search that is not text or is too long.
func (s *Service) CountSMSNumbers(ctx context.Context, tenantID string, f SMSFilter) (*SMSCounts, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return nil, err
	}
	f.Status = ""
	p, err := s.numberParams(tenantID, f)
	if err != nil {
		return nil, err
	}
	var counts map[NumberStatus]int
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		counts, err = tx.NumberCount(ctx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &SMSCounts{ByStatus: map[NumberStatus]int{}}
	for st, n := range counts {
		out.ByStatus[st] = n
		out.Total += n
	}
	return out, nil
}

// SMSCounts is how many of the SMS page's numbers a filter selects.
type SMSCounts struct {
	Total    int                  `json:"total"`
	ByStatus map[NumberStatus]int `json:"by_status"`
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
