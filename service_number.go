package smsadmin

import (
	"context"
	"time"
)

// NumberRequest adds a number to a tenant's inventory, optionally owned by
// a user.
type NumberRequest struct {
	Number string `json:"number"`
	UserID string `json:"user_id,omitempty"`
}

// CreateNumber adds a number to a tenant's inventory. The number is parsed
// and its country derived from it (R1, R2); a number is in at most one
// inventory.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown user;
// invalid_phone_number (CodeInvalidPhoneNumber) or unsupported_country
// (CodeUnsupportedCountry) for the number; conflict (CodeConflict) when an
// inventory holds it already.
func (s *Service) CreateNumber(ctx context.Context, tenantID string, req NumberRequest) (*PhoneNumber, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return nil, err
	}
	p, err := ParseNumber(req.Number)
	if err != nil {
		return nil, err
	}
	n := newNumber(tenantID, p, req.UserID, s.now())
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		if n.UserID != "" {
			if _, err := getUser(ctx, tx, tenantID, n.UserID); err != nil {
				return err
			}
		}
		return s.createNumber(ctx, tx, n)
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// newNumber is a number of tenantID's inventory as CreateNumber adds it:
// parsed (R1, R2), owned by userID ("" for nobody), SMS disabled.
func newNumber(tenantID string, p ParsedNumber, userID string, now time.Time) *PhoneNumber {
	n := &PhoneNumber{TenantID: tenantID, Number: p.E164, Country: p.Country, UserID: userID, CreatedAt: now, UpdatedAt: now}
	n.SMS.Derive(now) // disabled
	return n
}

// createNumber adds n to its tenant's inventory and audits it. Errors:
// conflict when the number is in an inventory already (numberTaken).
func (s *Service) createNumber(ctx context.Context, tx Tx, n *PhoneNumber) error {
	if err := tx.NumberCreate(ctx, n); err != nil {
		if ErrorCode(err) == CodeConflict {
			return numberTaken(n.Number)
		}
		return err
	}
	return s.audit(ctx, tx, n.TenantID, ActionNumberCreate, "number/"+n.Number, nil, n)
}

// numberTaken is the conflict of adding a number that is in an inventory
// already: a number is in at most one.
func numberTaken(number string) error {
	return Errorf(CodeConflict, "%s is already in a number inventory.", number)
}

// GetNumber returns a number of the tenant's inventory.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant; invalid_phone_number
// (CodeInvalidPhoneNumber) or unsupported_country (CodeUnsupportedCountry)
// for number; number_not_found (CodeNumberNotFound) when the inventory does
// not hold it.
func (s *Service) GetNumber(ctx context.Context, tenantID, number string) (*PhoneNumber, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	p, err := ParseNumber(number)
	if err != nil {
		return nil, err
	}
	var n *PhoneNumber
	err = s.store.View(ctx, func(tx Tx) error {
		n, err = getNumber(ctx, tx, tenantID, p.E164)
		return err
	})
	return n, err
}

// getNumber reads a number of the inventory, answering number_not_found.
func getNumber(ctx context.Context, tx Tx, tenantID, number string) (*PhoneNumber, error) {
	n, err := tx.NumberGet(ctx, tenantID, number)
	if ErrorCode(err) == CodeNotFound {
		return nil, Errorf(CodeNumberNotFound, "%s is not in this tenant's number inventory.", number)
	}
	return n, err
}

// NumberFilter narrows a list of the inventory.
type NumberFilter struct {
	UserID  string // only this user's numbers
	Unowned bool   // only numbers that belong to nobody
}

// ListNumbers lists a tenant's inventory, ordered by number.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a filter on one user and on unowned numbers at
// once, or a bad limit or cursor.
func (s *Service) ListNumbers(ctx context.Context, tenantID string, f NumberFilter, req PageRequest) (Page[*PhoneNumber], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*PhoneNumber]{}, err
	}
	if f.UserID != "" && f.Unowned {
		return Page[*PhoneNumber]{}, Errorf(CodeValidationFailed, "Ask for one user's numbers or for unowned numbers, not both.")
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*PhoneNumber]{}, err
	}
	var rows []*PhoneNumber
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = tx.NumberList(ctx, NumberListParams{TenantID: tenantID, UserID: f.UserID, Unowned: f.Unowned, ListParams: lp})
		return err
	})
	return newPage(rows, limit, func(n *PhoneNumber) string { return n.Number }), err
}

// DeleteNumber removes a number from the tenant's inventory, and so from
// its user.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant; invalid_phone_number
// (CodeInvalidPhoneNumber) or unsupported_country (CodeUnsupportedCountry)
// for number; number_not_found (CodeNumberNotFound) when the inventory does
// not hold it; conflict (CodeConflict) while SMS is not disabled on it.
func (s *Service) DeleteNumber(ctx context.Context, tenantID, number string) error {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return err
	}
	p, err := ParseNumber(number)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		n, err := getNumber(ctx, tx, tenantID, p.E164)
		if err != nil {
			return err
		}
		// Deleting a number the carrier still holds would strand it there.
		// A disabled number counts toward no campaign (R9): nothing else
		// changes with it.
		if n.SMS.Enabled() {
			return Errorf(CodeConflict, "%s is %s for SMS; disable SMS on it (unassign-disable) and let the carrier confirm before removing it.", n.Number, n.SMS.Status)
		}
		if err := tx.NumberDelete(ctx, tenantID, n.Number); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionNumberDelete, "number/"+n.Number, n, nil)
	})
}
