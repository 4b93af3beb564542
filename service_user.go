package smsadmin

import (
	"context"
	"slices"
	"strings"
	"time"
)

// CreateUser adds a user to a tenant. Admin of the tenant or support.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) naming each field at fault; conflict (CodeConflict)
// when the email is already used in the tenant.
func (s *Service) CreateUser(ctx context.Context, tenantID string, u *User) error {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		return s.createUser(ctx, tx, tenantID, u)
	})
}

// createUser stores u, validated, as a new user of tenantID holding no
// number, and audits it. Errors: conflict when the email is taken.
func (s *Service) createUser(ctx context.Context, tx Tx, tenantID string, u *User) error {
	now := s.now()
	u.ID, u.TenantID, u.CreatedAt, u.UpdatedAt = NewID("usr", now), tenantID, now, now
	u.PhoneNumbers, u.SMSNumber = []string{}, nil
	if err := tx.UserCreate(ctx, u); err != nil {
		return err
	}
	return s.audit(ctx, tx, tenantID, ActionUserCreate, "user/"+u.ID, nil, u)
}

// GetUser returns a user with their numbers. A user token may read only
// its own user.
//
// Errors: forbidden (CodeForbidden) for a user token naming another user;
// not_found (CodeNotFound) for another tenant or an unknown user.
func (s *Service) GetUser(ctx context.Context, tenantID, userID string) (*User, error) {
	a, err := s.authorize(ctx, tenantID, accessUser)
	if err != nil {
		return nil, err
	}
	if a.Role == RoleUser && a.UserID != userID {
		return nil, Errorf(CodeForbidden, "A user token may read only its own user.")
	}
	var u *User
	err = s.store.View(ctx, func(tx Tx) error {
		if u, err = getUser(ctx, tx, tenantID, userID); err != nil {
			return err
		}
		u.SMSNumber, err = smsNumberOf(ctx, tx, u)
		return err
	})
	return u, err
}

// UserNames returns the names of the tenant's users ids, by ID, read at
// once (a page of numbers names their users); an ID no user of the tenant
// has is left out. Admin of the tenant or support.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one.
func (s *Service) UserNames(ctx context.Context, tenantID string, ids []string) (map[string]string, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		return forEach("", func(p ListParams) ([]*User, error) {
			return tx.UserList(ctx, UserListParams{TenantID: tenantID, IDs: ids, ListParams: p})
		}, func(u *User) string { return u.ID }, func(u *User) error {
			out[u.ID] = u.Name
			return nil
		})
	})
	return out, err
}

// getUser reads a user, answering not_found with a sentence that names it.
func getUser(ctx context.Context, tx Tx, tenantID, userID string) (*User, error) {
	u, err := tx.UserGet(ctx, tenantID, userID)
	if ErrorCode(err) == CodeNotFound {
		return nil, Errorf(CodeNotFound, "User %s not found.", userID)
	}
	return u, err
}

// ListUsers lists a tenant's users, ordered by ID: SearchUsers with no
// query.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) ListUsers(ctx context.Context, tenantID string, req PageRequest) (Page[*User], error) {
	return s.SearchUsers(ctx, tenantID, "", req)
}

// SearchUsers lists a tenant's users whose name or email contains query
// (ignoring case), or one of whose numbers contains its digits, ordered by
// ID; an empty query lists every user. Admin of the tenant or support.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) SearchUsers(ctx context.Context, tenantID, query string, req PageRequest) (Page[*User], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*User]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*User]{}, err
	}
	query = strings.ToLower(strings.TrimSpace(query))
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, query)
	match := func(u *User) bool {
		if query == "" || strings.Contains(strings.ToLower(u.Name), query) || strings.Contains(u.Email, query) {
			return true
		}
		return len(digits) >= 3 && slices.ContainsFunc(u.PhoneNumbers, func(n string) bool { return strings.Contains(n, digits) })
	}
	var rows []*User
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = listFiltered(lp, func(p ListParams) ([]*User, error) {
			return tx.UserList(ctx, UserListParams{TenantID: tenantID, ListParams: p})
		}, match, func(u *User) string { return u.ID })
		if err != nil {
			return err
		}
		defs, err := defaultNumbers(ctx, tx, tenantID, rows)
		for _, u := range rows {
			if n := defs[u.ID]; n != nil {
				u.SMSNumber = &n.Number
			}
		}
		return err
	})
	return newPage(rows, limit, func(u *User) string { return u.ID }), err
}

// UserPatch is a partial update of a user; nil and false leave a field as
// it is.
type UserPatch struct {
	Name  *string
	Email *string
	// SetLicense replaces the license with License (nil: no license).
	SetLicense bool
	License    *string
	// SetPhoneNumbers replaces the user's numbers with PhoneNumbers.
	SetPhoneNumbers bool
	PhoneNumbers    []string
}

// UpdateUser applies a patch to a user. Replacing phone_numbers names
// numbers of the tenant's inventory that belong to nobody or to this user
// (R3); numbers left out of the list return to the inventory, unowned.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown user; validation_failed
// (CodeValidationFailed) naming each field at fault; invalid_phone_number
// (CodeInvalidPhoneNumber) or unsupported_country (CodeUnsupportedCountry)
// for a number of phone_numbers; number_not_found (CodeNumberNotFound) for
// one the inventory does not hold; conflict (CodeConflict) for one another
// user holds (R3), or an email another user of the tenant has.
func (s *Service) UpdateUser(ctx context.Context, tenantID, userID string, patch UserPatch) (*User, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	var wanted []string
	if patch.SetPhoneNumbers {
		var err error
		if wanted, err = parseNumberList(patch.PhoneNumbers); err != nil {
			return nil, err
		}
	}
	var u *User
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if u, err = getUser(ctx, tx, tenantID, userID); err != nil {
			return err
		}
		_, err = s.updateUser(ctx, tx, u, patch, wanted)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.notify()
	return u, nil
}

// updateUser applies patch to u, a user read in tx, with wanted the parsed
// numbers of a patch that sets them; it writes and audits the user when
// anything changed, and reports whether it did. u.SMSNumber is filled in.
func (s *Service) updateUser(ctx context.Context, tx Tx, u *User, patch UserPatch, wanted []string) (bool, error) {
	before := *u
	if patch.Name != nil {
		u.Name = *patch.Name
	}
	if patch.Email != nil {
		u.Email = *patch.Email
	}
	if patch.SetLicense {
		u.License = patch.License
	}
	if err := u.Validate(); err != nil {
		return false, err
	}
	now := s.now()
	numbersChanged := false
	var err error
	if patch.SetPhoneNumbers {
		if numbersChanged, err = s.setUserNumbers(ctx, tx, u, wanted, now); err != nil {
			return false, err
		}
	}
	fieldsChanged := u.Name != before.Name || u.Email != before.Email || !equalPtr(u.License, before.License)
	if !fieldsChanged && !numbersChanged {
		u.SMSNumber, err = smsNumberOf(ctx, tx, u)
		return false, err
	}
	// R16: a license removed or changed disables the user's SMS, even
	// when the number stays; an admin must enable it again.
	if before.License != nil && !equalPtr(u.License, before.License) {
		if err := s.disableOthers(ctx, tx, u, "", now, CauseLicenseChanged); err != nil {
			return false, err
		}
	}
	u.UpdatedAt = now
	if u.SMSNumber, err = smsNumberOf(ctx, tx, u); err != nil {
		return false, err
	}
	if err := tx.UserUpdate(ctx, u); err != nil {
		return false, err
	}
	return true, s.audit(ctx, tx, u.TenantID, ActionUserUpdate, "user/"+u.ID, &before, u)
}

// setUserNumbers makes wanted the user's numbers, auditing each number whose
// owner changes, and reports whether anything changed. u.PhoneNumbers is
// updated to the new list.
func (s *Service) setUserNumbers(ctx context.Context, tx Tx, u *User, wanted []string, now time.Time) (bool, error) {
	changed := false
	for _, num := range wanted {
		n, err := tx.NumberGet(ctx, u.TenantID, num)
		if ErrorCode(err) == CodeNotFound {
			return false, Errorf(CodeNumberNotFound, "%s is not in this tenant's number inventory; add it first.", num)
		} else if err != nil {
			return false, err
		}
		given, err := s.giveNumber(ctx, tx, n, u.ID, now)
		if err != nil {
			return false, err
		}
		changed = changed || given
	}
	for _, num := range u.PhoneNumbers {
		if slices.Contains(wanted, num) {
			continue
		}
		n, err := tx.NumberGet(ctx, u.TenantID, num)
		if err != nil {
			return false, err
		}
		// R15: a number taken from its user loses SMS; the user's new
		// number is not enabled by itself.
		if n.SMS.WantSMS {
			if err := s.disable(ctx, tx, n, now, CauseNumberChanged); err != nil {
				return false, err
			}
		}
		if err := s.setNumberOwner(ctx, tx, n, "", now); err != nil {
			return false, err
		}
		changed = true
	}
	u.PhoneNumbers = slices.Clone(wanted)
	slices.Sort(u.PhoneNumbers)
	return changed, nil
}

// giveNumber gives n, a number of the inventory, to userID and audits it;
// it reports whether the owner changed (false when n is userID's already).
// Errors: conflict when n belongs to another user (R3).
func (s *Service) giveNumber(ctx context.Context, tx Tx, n *PhoneNumber, userID string, now time.Time) (bool, error) {
	if err := checkOwner(n, userID); err != nil {
		return false, err
	}
	if n.UserID == userID {
		return false, nil
	}
	return true, s.setNumberOwner(ctx, tx, n, userID, now)
}

// checkOwner refuses to give n to userID when it belongs to someone else:
// R3, a number belongs to at most one user.
func checkOwner(n *PhoneNumber, userID string) error {
	if n.UserID != "" && n.UserID != userID {
		return Errorf(CodeConflict, "%s belongs to another user; remove it from that user first.", n.Number)
	}
	return nil
}

// setNumberOwner moves a number to userID ("" for nobody) and audits it.
func (s *Service) setNumberOwner(ctx context.Context, tx Tx, n *PhoneNumber, userID string, now time.Time) error {
	before := *n
	n.UserID, n.UpdatedAt = userID, now
	if err := saveNumber(ctx, tx, &before, n); err != nil {
		return err
	}
	return s.audit(ctx, tx, n.TenantID, ActionNumberUpdate, "number/"+n.Number, &before, n)
}

// parseNumberList parses a list of typed numbers (R1, R2) and drops
// repeats, keeping the first.
func parseNumberList(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, raw := range in {
		p, err := ParseNumber(raw)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, p.E164) {
			out = append(out, p.E164)
		}
	}
	return out, nil
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
