package smsadmin

import (
	"context"
)

// This file answers "why can't this user send SMS?" (R19): the facts are
// read here, the answer is the pure function Diagnose.

// authorizeUser is authorize for an operation on one user that the user's
// own token may also make (its own SMS status and diagnosis, sending as
// itself): a user token naming another user is forbidden.
func (s *Service) authorizeUser(ctx context.Context, tenantID, userID string) (Actor, error) {
	a, err := s.authorize(ctx, tenantID, accessUser)
	if err != nil {
		return Actor{}, err
	}
	if a.Role == RoleUser && a.UserID != userID {
		return Actor{}, Errorf(CodeForbidden, "A user token may read and send only as its own user.")
	}
	return a, nil
}

// DiagnoseUser answers R19 for a user: whether they can send SMS and, if
// not, why and what fixes it. Admin, support, or the user's own token.
//
// Errors: forbidden (CodeForbidden) for a user token naming another user;
// not_found (CodeNotFound) for another tenant or an unknown user.
func (s *Service) DiagnoseUser(ctx context.Context, tenantID, userID string) (*Diagnosis, error) {
	if _, err := s.authorizeUser(ctx, tenantID, userID); err != nil {
		return nil, err
	}
	var d Diagnosis
	err := s.store.View(ctx, func(tx Tx) error {
		u, err := getUser(ctx, tx, tenantID, userID)
		if err != nil {
			return err
		}
		f, _, err := s.smsFacts(ctx, tx, u)
		d = Diagnose(f)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// DiagnosisFilter selects users of the troubleshooting list.
type DiagnosisFilter struct {
	CanSend *bool  // only users who can (true) or cannot (false) send
	Cause   string // only users with this cause code
}

// ListDiagnoses is the troubleshooting list (R19): the diagnosis of every
// user of the tenant that f selects, ordered by user ID. Admin or
// support.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for an unknown cause, or a bad limit or cursor.
func (s *Service) ListDiagnoses(ctx context.Context, tenantID string, f DiagnosisFilter, req PageRequest) (Page[Diagnosis], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[Diagnosis]{}, err
	}
	if f.Cause, err = ParseCause("cause", f.Cause); err != nil {
		return Page[Diagnosis]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[Diagnosis]{}, err
	}
	out := []Diagnosis{}
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		camps := map[string]*campaignFacts{}
		// Users are read a page at a time until the page is full (one
		// more than asked, to know whether there is a next page), with
		// the numbers of the page's users in one read.
		var nums map[string]*SMSFacts
		return forEach(lp.After, func(p ListParams) ([]*User, error) {
			users, err := tx.UserList(ctx, UserListParams{TenantID: tenantID, ListParams: p})
			if err != nil {
				return nil, err
			}
			nums, err = userNumberFacts(ctx, tx, tenantID, users)
			return users, err
		}, func(u *User) string { return u.ID }, func(u *User) error {
			uf := SMSFacts{User: u}
			if nf := nums[u.ID]; nf != nil {
				uf = *nf
			}
			facts, err := s.campaignFacts(ctx, tx, uf, camps)
			if err != nil {
				return err
			}
			d := Diagnose(facts)
			if (f.CanSend == nil || d.CanSend == *f.CanSend) && (f.Cause == "" || d.Has(f.Cause)) {
				out = append(out, d)
			}
			if len(out) > limit {
				return errEnough
			}
			return nil
		})
	})
	if err == errEnough {
		err = nil
	}
	return newPage(out, limit, func(d Diagnosis) string { return d.UserID }), err
}

// campaignFacts is a campaign with its brand where the country needs one
// (R11), as the diagnosis reads them.
type campaignFacts struct {
	c *Campaign
	b *Brand
}

// smsFacts reads what the diagnosis of u needs, and returns u's numbers
// too.
func (s *Service) smsFacts(ctx context.Context, tx Tx, u *User) (SMSFacts, []*PhoneNumber, error) {
	nums, _, err := userNumbers(ctx, tx, u)
	if err != nil {
		return SMSFacts{User: u}, nil, err
	}
	f := SMSFacts{User: u}
	for _, n := range nums {
		f.note(n)
	}
	f, err = s.campaignFacts(ctx, tx, f, nil)
	return f, nums, err
}

// campaignFacts completes f, whose user and default SMS number are read,
// with the number's campaign and its brand. camps, when not nil, keeps
// the campaigns read across users.
func (s *Service) campaignFacts(ctx context.Context, tx Tx, f SMSFacts, camps map[string]*campaignFacts) (SMSFacts, error) {
	if f.Number == nil || f.Number.SMS.CampaignID == "" {
		return f, nil
	}
	id := f.Number.SMS.CampaignID
	cf := camps[id]
	if cf == nil {
		cf = &campaignFacts{}
		var err error
		if cf.c, err = tx.CampaignGet(ctx, f.User.TenantID, id); err != nil {
			return f, err
		}
		if cf.b, err = campaignBrand(ctx, tx, cf.c); err != nil {
			return f, err
		}
		if camps != nil {
			camps[id] = cf
		}
	}
	f.Campaign, f.Brand = cf.c, cf.b
	return f, nil
}

// defaultNumbers reads the default SMS numbers (R4) of users, by user ID,
// in one list of their numbers.
func defaultNumbers(ctx context.Context, tx Tx, tenantID string, users []*User) (map[string]*PhoneNumber, error) {
	facts, err := userNumberFacts(ctx, tx, tenantID, users)
	defs := map[string]*PhoneNumber{}
	for id, f := range facts {
		if f.Number != nil {
			defs[id] = f.Number
		}
	}
	return defs, err
}

// userNumberFacts reads the numbers the diagnosis of users reads
// (SMSFacts.note), by user ID, in one list of their numbers. A user with
// none of them has no entry.
func userNumberFacts(ctx context.Context, tx Tx, tenantID string, users []*User) (map[string]*SMSFacts, error) {
	facts := map[string]*SMSFacts{}
	byID := map[string]*User{}
	var ids []string
	for _, u := range users {
		if len(u.PhoneNumbers) > 0 {
			ids = append(ids, u.ID)
			byID[u.ID] = u
		}
	}
	if len(ids) == 0 {
		return facts, nil
	}
	err := forEach("", func(p ListParams) ([]*PhoneNumber, error) {
		return tx.NumberList(ctx, NumberListParams{TenantID: tenantID, UserIDs: ids, ListParams: p})
	}, func(n *PhoneNumber) string { return n.Number }, func(n *PhoneNumber) error {
		f := facts[n.UserID]
		if f == nil {
			f = &SMSFacts{User: byID[n.UserID]}
		}
		if f.note(n); f.Number != nil || f.Off != nil {
			facts[n.UserID] = f
		}
		return nil
	})
	return facts, err
}
