package smsadmin

import (
	"context"
	"errors"
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

// CreateUserWithNumbers is CreateUser with the user's numbers, in one
// transaction: each number is found in the tenant's inventory, where it
// must belong to nobody (R3), or added to it (R1, R2), and given to the
// new user. Nothing is created when anything is refused. It is the
// console's "+ Add user".
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) naming each field at fault; conflict
// (CodeConflict) when the email is already used in the tenant, with the
// field email in Fields; and, with the field phone_numbers in Fields,
// invalid_phone_number (CodeInvalidPhoneNumber) or unsupported_country
// (CodeUnsupportedCountry) for a number, or conflict (CodeConflict) for
// one another user holds (R3) or another tenant's inventory holds.
func (s *Service) CreateUserWithNumbers(ctx context.Context, tenantID string, u *User, numbers []string) error {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	wanted, err := parseNumberList(numbers)
	if err != nil {
		return onField("phone_numbers", err)
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		if err := s.createUser(ctx, tx, tenantID, u); ErrorCode(err) == CodeConflict {
			return onField("email", err)
		} else if err != nil {
			return err
		}
		if _, err := s.setUserNumbers(ctx, tx, u, wanted, true, s.now()); err != nil {
			return onField("phone_numbers", err)
		}
		return nil
	})
	if err != nil {
		u.ID, u.PhoneNumbers = "", []string{}
	}
	return err
}

// onField is err, a refusal (an *Error but internal), with its message
// as a problem of field too (in Fields), so that a form shows it by that
// field; any other error as it is.
func onField(field string, err error) error {
	var e *Error
	if !errors.As(err, &e) || e.Code == CodeInternal || len(e.Fields) > 0 {
		return err
	}
	out := *e
	out.Fields = []FieldError{{Field: field, Code: e.Code, Message: e.Message}}
	return &out
}

// GetUserByEmail returns the tenant's user with email (in any case), with
// their numbers.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one, or no user with that
// email.
func (s *Service) GetUserByEmail(ctx context.Context, tenantID, email string) (*User, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return nil, err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	var u *User
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		u, err = tx.UserGetByEmail(ctx, tenantID, email)
		if ErrorCode(err) == CodeNotFound {
			return Errorf(CodeNotFound, "No user has the email address %s.", email)
		} else if err != nil {
			return err
		}
		u.SMSNumber, err = smsNumberOf(ctx, tx, u)
		return err
	})
	return u, err
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
	match := userMatcher(query)
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

// userMatcher is SearchUsers's query: whether a user's name or email
// contains it (ignoring case), or one of their numbers its digits (three
// at least); an empty query matches everyone.
func userMatcher(query string) func(*User) bool {
	query = strings.ToLower(strings.TrimSpace(query))
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, query)
	return func(u *User) bool {
		if query == "" || strings.Contains(strings.ToLower(u.Name), query) || strings.Contains(u.Email, query) {
			return true
		}
		return len(digits) >= 3 && slices.ContainsFunc(u.PhoneNumbers, func(n string) bool { return strings.Contains(n, digits) })
	}
}

// UserListItem is a user as a list for a person shows them: the user,
// their default SMS number (R4) as it is, and whether they can send SMS
// (R19, R20).
type UserListItem struct {
	User *User `json:"user"`
	// SMS is the user's default SMS number, nil when they have none.
	SMS     *SMSNumber `json:"sms"`
	CanSend bool       `json:"can_send"`
}

// UserDirectory is a page of a tenant's users ordered by name, and how
// many users its search matches, all pages.
type UserDirectory struct {
	Page[*UserListItem]
	Total int `json:"total"`
}

// DirectoryUsers lists the tenant's users that query matches (as
// SearchUsers does), ordered by name ignoring case, then by ID, each with
// their default SMS number and whether they can send (as the diagnosis
// answers, R19), and counts them. It reads every user of the tenant for
// each page, since the store keeps no order by name: it is a person's
// list (the console's Users page), not one for a client to page through
// (SearchUsers). Admin of the tenant or support.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) DirectoryUsers(ctx context.Context, tenantID, query string, req PageRequest) (UserDirectory, error) {
	var out UserDirectory
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return out, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return out, err
	}
	match := userMatcher(query)
	// The order's key: a name holds no control character (checkText), so
	// NUL sorts a name before every longer name it starts.
	key := func(u *User) string { return strings.ToLower(u.Name) + "\x00" + u.ID }
	var items []*UserListItem
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		var all []*User
		err := forEach("", func(p ListParams) ([]*User, error) {
			return tx.UserList(ctx, UserListParams{TenantID: tenantID, ListParams: p})
		}, func(u *User) string { return u.ID }, func(u *User) error {
			if match(u) {
				all = append(all, u)
			}
			return nil
		})
		if err != nil {
			return err
		}
		out.Total = len(all)
		slices.SortFunc(all, func(x, y *User) int { return strings.Compare(key(x), key(y)) })
		start, _ := slices.BinarySearchFunc(all, lp.After, func(u *User, after string) int {
			if k := key(u); k <= after {
				return -1
			}
			return 1
		})
		rows := all[start:min(len(all), start+lp.Limit)]
		facts, err := userNumberFacts(ctx, tx, tenantID, rows)
		if err != nil {
			return err
		}
		camps := map[string]*campaignFacts{}
		for _, u := range rows {
			f := SMSFacts{User: u}
			if nf := facts[u.ID]; nf != nil {
				f = *nf
			}
			if f, err = s.campaignFacts(ctx, tx, f, camps); err != nil {
				return err
			}
			item := &UserListItem{User: u, CanSend: Diagnose(f).CanSend}
			if f.Number != nil {
				u.SMSNumber = &f.Number.Number
				item.SMS = s.smsView(f.Number)
			}
			items = append(items, item)
		}
		return nil
	})
	out.Page = newPage(items, limit, func(it *UserListItem) string { return key(it.User) })
	return out, err
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
	// AddNumbers adds the numbers of PhoneNumbers that the tenant's
	// inventory does not hold to it (R1, R2), given to the user, instead
	// of refusing them with number_not_found.
	AddNumbers bool
}

// patchFields applies patch's name, email and license to u, and
// validates u (User.Validate).
func patchFields(u *User, patch UserPatch) error {
	if patch.Name != nil {
		u.Name = *patch.Name
	}
	if patch.Email != nil {
		u.Email = *patch.Email
	}
	if patch.SetLicense {
		u.License = patch.License
	}
	return u.Validate()
}

// smsOffCause is R15 and R16, said once: why changing user u's license to
// license and, with setNumbers, u's numbers to numbers turns SMS off on
// number, one of u's numbers that counts under R4 (SMSState.IsDefaultSMS);
// "" when it does not. UpdateUser disables by it, and PreviewUpdateUser
// tells by it what UpdateUser would disable.
//
// R15: a number taken from its user, removed or replaced by another, loses
// SMS; the user's new number is not enabled by itself. R16: a license
// removed or changed turns the user's SMS off, even when the number stays;
// an admin must enable it again.
func smsOffCause(u *User, license *string, setNumbers bool, numbers []string, number string) string {
	switch {
	case setNumbers && !slices.Contains(numbers, number):
		return CauseNumberChanged
	case u.License != nil && !equalPtr(license, u.License):
		return CauseLicenseChanged
	}
	return ""
}

// smsOff is a number that a change of its user turns SMS off on, and why
// (a Cause code).
type smsOff struct {
	n     *PhoneNumber
	cause string
}

// turnOffs reads the numbers of u, as stored, that changing u's license to
// license and, with setNumbers, u's numbers to numbers turns SMS off on
// (smsOffCause), in number order.
func turnOffs(ctx context.Context, tx Tx, u *User, license *string, setNumbers bool, numbers []string) ([]smsOff, error) {
	// Without new numbers the cause is the license's alone, whatever the
	// number: when it is none, no number need be read (an import's rows).
	if !setNumbers && smsOffCause(u, license, false, nil, "") == "" {
		return nil, nil
	}
	nums, _, err := userNumbers(ctx, tx, u)
	if err != nil {
		return nil, err
	}
	var out []smsOff
	for _, n := range nums {
		if !n.SMS.IsDefaultSMS() {
			continue
		}
		if cause := smsOffCause(u, license, setNumbers, numbers, n.Number); cause != "" {
			out = append(out, smsOff{n: n, cause: cause})
		}
	}
	return out, nil
}

// SMSTurnOff is a number that a change of its user would turn SMS off on
// (R15, R16), as it is now: what UpdateUser would disable.
type SMSTurnOff struct {
	Number *SMSNumber `json:"number"`
	// Cause is why: CauseNumberChanged when the number leaves its user,
	// removed or replaced (R15); CauseLicenseChanged when the user's
	// license is removed or changed (R16).
	Cause string `json:"cause"`
	// Sending is set when the number is in a campaign or on its way into
	// one (SMSState.InCampaign): the user sends SMS from it, or will once
	// the carrier is done.
	Sending bool `json:"sending"`
}

// PreviewUpdateUser answers, changing nothing, which numbers UpdateUser
// would turn SMS off on for patch now (R15, R16), in number order: none
// when it turns nothing off (a user without a license or without SMS, a
// change of name). The same code decides as for UpdateUser (turnOffs), on
// the user as it is now; an update made later may find it changed. It is
// what the console asks about before it saves a user's profile.
//
// Errors: as UpdateUser before it writes: forbidden (CodeForbidden) for a
// user token; not_found (CodeNotFound) for another tenant or an unknown
// user; validation_failed (CodeValidationFailed) naming each field at
// fault; invalid_phone_number (CodeInvalidPhoneNumber) or
// unsupported_country (CodeUnsupportedCountry) for a number of
// phone_numbers. Whether the inventory holds the numbers, and whether
// another user does, is left to UpdateUser.
func (s *Service) PreviewUpdateUser(ctx context.Context, tenantID, userID string, patch UserPatch) ([]*SMSTurnOff, error) {
	wanted, err := s.authorizePatch(ctx, tenantID, patch)
	if err != nil {
		return nil, err
	}
	out := []*SMSTurnOff{}
	err = s.store.View(ctx, func(tx Tx) error {
		u, err := getUser(ctx, tx, tenantID, userID)
		if err != nil {
			return err
		}
		after := *u
		if err := patchFields(&after, patch); err != nil {
			return err
		}
		offs, err := turnOffs(ctx, tx, u, after.License, patch.SetPhoneNumbers, wanted)
		for _, off := range offs {
			out = append(out, &SMSTurnOff{Number: s.smsView(off.n), Cause: off.cause, Sending: off.n.SMS.InCampaign()})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// authorizePatch is what UpdateUser and PreviewUpdateUser check before
// they read: an admin of the tenant or support, and the patch's numbers
// (when it sets them) written as numbers; it returns those in E.164.
func (s *Service) authorizePatch(ctx context.Context, tenantID string, patch UserPatch) ([]string, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	if !patch.SetPhoneNumbers {
		return nil, nil
	}
	return parseNumberList(patch.PhoneNumbers)
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
	wanted, err := s.authorizePatch(ctx, tenantID, patch)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.store.Update(ctx, func(tx Tx) error {
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
	if err := patchFields(u, patch); err != nil {
		return false, err
	}
	now := s.now()
	// R15, R16: SMS goes off first, on the numbers as the user holds them
	// now (the cause is recorded on the user while the number is theirs).
	offs, err := turnOffs(ctx, tx, &before, u.License, patch.SetPhoneNumbers, wanted)
	if err != nil {
		return false, err
	}
	for _, off := range offs {
		if err := s.disable(ctx, tx, off.n, now, off.cause); err != nil {
			return false, err
		}
	}
	numbersChanged := false
	if patch.SetPhoneNumbers {
		if numbersChanged, err = s.setUserNumbers(ctx, tx, u, wanted, patch.AddNumbers, now); err != nil {
			return false, err
		}
	}
	fieldsChanged := u.Name != before.Name || u.Email != before.Email || !equalPtr(u.License, before.License)
	if !fieldsChanged && !numbersChanged {
		u.SMSNumber, err = smsNumberOf(ctx, tx, u)
		return false, err
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
// owner changes, and reports whether anything changed; a number the
// inventory does not hold is added to it, given to the user, when add is
// set, else refused. u.PhoneNumbers is updated to the new list. SMS is
// turned off beforehand on the numbers that leave the user (turnOffs, R15).
func (s *Service) setUserNumbers(ctx context.Context, tx Tx, u *User, wanted []string, add bool, now time.Time) (bool, error) {
	changed := false
	for _, num := range wanted {
		n, err := tx.NumberGet(ctx, u.TenantID, num)
		if ErrorCode(err) == CodeNotFound && add {
			if err := s.addUserNumber(ctx, tx, u, num, now); err != nil {
				return false, err
			}
			changed = true
			continue
		}
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
		if err := s.setNumberOwner(ctx, tx, n, "", now); err != nil {
			return false, err
		}
		changed = true
	}
	u.PhoneNumbers = slices.Clone(wanted)
	slices.Sort(u.PhoneNumbers)
	return changed, nil
}

// addUserNumber adds num (E.164), which the tenant's inventory does not
// hold, to it (R1, R2), owned by u, and audits it. Errors: conflict when
// another tenant's inventory holds it (numberTaken).
func (s *Service) addUserNumber(ctx context.Context, tx Tx, u *User, num string, now time.Time) error {
	// Asked first: a unique violation would end a PostgreSQL transaction.
	if _, err := tx.NumberLocate(ctx, num); err == nil {
		return numberTaken(num)
	} else if ErrorCode(err) != CodeNotFound {
		return err
	}
	p, err := ParseNumber(num)
	if err != nil {
		return err
	}
	return s.createNumber(ctx, tx, newNumber(u.TenantID, p, u.ID, now))
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
