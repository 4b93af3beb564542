package smsadmin

import (
	"context"
	"fmt"
	"time"
)

// This file holds the SMS writes on numbers: enable, disable, assign, and
// the profile toggle (R4..R10, R18). Every one moves the number's state
// machine (SMSState) through its own methods, writes the number with its
// campaigns' counts (saveNumber) and its audit entry in the caller's
// transaction, and makes the number due for the reconciler.

// MaxBulkItems is the most numbers one bulk request carries.
const MaxBulkItems = 1000

// Warning is a remark on a result that succeeded (R6).
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Warning codes of R6.
const (
	WarningNoCampaign       = "no_campaign"
	WarningCampaignFull     = "campaign_full"
	WarningSeveralCampaigns = "several_campaigns"
)

// BulkResult is the answer for one item of a bulk request, in input order.
type BulkResult struct {
	Number           string       `json:"number"`
	OK               bool         `json:"ok"`
	Status           NumberStatus `json:"status,omitempty"`
	PendingOperation *NumberOp    `json:"pending_operation,omitempty"`
	CampaignID       *string      `json:"campaign_id,omitempty"`
	IsDefault        *bool        `json:"is_default,omitempty"`
	Error            *ItemError   `json:"error,omitempty"`
	Warning          *Warning     `json:"warning,omitempty"`
	// Replaced is the number (E.164) whose SMS this item turned off: its
	// user's other SMS number, which enabling this one replaced as the
	// user's one SMS number and default (R4). It is empty when the item
	// turned nothing off, and on every result but an enable's (a retried
	// enable's included).
	Replaced string `json:"replaced,omitempty"`
}

// ItemError is why one item of a bulk request failed.
type ItemError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *Service) okResult(n *PhoneNumber) BulkResult {
	v := s.smsView(n)
	def := v.IsDefault
	return BulkResult{Number: n.Number, OK: true, Status: v.Status, PendingOperation: v.PendingOperation, CampaignID: v.CampaignID, IsDefault: &def}
}

func failResult(input string, err error) BulkResult {
	return BulkResult{Number: input, Error: &ItemError{Code: ErrorCode(err), Message: ErrorMessage(err)}}
}

// checkBulk refuses an empty or oversized bulk request.
func checkBulk(items []string) error {
	switch {
	case len(items) == 0:
		return FieldErrorf("numbers", "required", "numbers must list at least one number.")
	case len(items) > MaxBulkItems:
		return Errorf(CodeBulkTooLarge, "A bulk request carries at most %d numbers; this one has %d. Split it.", MaxBulkItems, len(items))
	}
	return nil
}

// makeDue records a request's change to a number's SMS state: who asked
// and when, its status derived, and due for the reconciler at once.
func makeDue(ctx context.Context, n *PhoneNumber, now time.Time) {
	n.SMS.Requested = &Event{At: now, By: whoOf(ctx), RequestID: RequestIDFrom(ctx)}
	n.SMS.Derive(now)
	n.SMS.Work.DueAt = &now
	n.SMS.Work.Attempts, n.SMS.Work.LastError = 0, ""
	n.UpdatedAt = now
}

// saveNumber writes a number and keeps the count of every campaign it
// started or stopped counting toward (R9: Campaign.NumberCount is the
// number of numbers for which SMSState.CountsToward holds). Every write of
// a number goes through it, so the count has this one home.
func saveNumber(ctx context.Context, tx Tx, before, n *PhoneNumber) error {
	if err := tx.NumberUpdate(ctx, n); err != nil {
		return err
	}
	for _, id := range before.SMS.campaigns() {
		if !n.SMS.CountsToward(id) {
			if err := tx.CampaignCountAdd(ctx, n.TenantID, id, -1); err != nil {
				return err
			}
		}
	}
	for _, id := range n.SMS.campaigns() {
		if !before.SMS.CountsToward(id) {
			if err := tx.CampaignCountAdd(ctx, n.TenantID, id, 1); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeNumber stores a number's change and its audit entry.
func (s *Service) writeNumber(ctx context.Context, tx Tx, before PhoneNumber, n *PhoneNumber, action string) error {
	return s.writeNumberOff(ctx, tx, before, n, action, nil)
}

// writeNumberOff is writeNumber for a change that turned SMS off for the
// number's user, recording why (off) in the audit entry too.
func (s *Service) writeNumberOff(ctx context.Context, tx Tx, before PhoneNumber, n *PhoneNumber, action string, off *SMSOff) error {
	if err := saveNumber(ctx, tx, &before, n); err != nil {
		return err
	}
	return s.audit(ctx, tx, n.TenantID, action, "number/"+n.Number, s.auditView(&before, nil), s.auditView(n, off))
}

// requestOf is the ID of the request last made of n, if known.
func requestOf(n *PhoneNumber) string {
	if r := n.SMS.Requested; r != nil {
		return r.RequestID
	}
	return ""
}

// auditView is what the audit log keeps of a number: owner and SMS state,
// and why SMS went off for its user when this change did it (R19).
func (s *Service) auditView(n *PhoneNumber, off *SMSOff) any {
	v := s.smsView(n)
	return struct {
		*SMSNumber
		WantSMS       bool    `json:"sms_on"`
		Country       string  `json:"country"`
		CarrierStatus string  `json:"carrier_status,omitempty"`
		Off           *SMSOff `json:"sms_off,omitempty"`
		Drift         *Drift  `json:"drift,omitempty"`
		RequestID     string  `json:"request_id,omitempty"` // of the last request made of it
	}{v, n.SMS.WantSMS, n.Country, n.SMS.CarrierStatus, off, n.SMS.Drift, requestOf(n)}
}

// EnableNumbers enables SMS on numbers (the SMS page's "+ Enable phone
// numbers", R5). Each number is handled on its own: it must be in the
// inventory and belong to a user who holds a license (R3). Enabling a
// user's number disables the user's previous SMS number (R4), and the
// number's result names it (BulkResult.Replaced); of two numbers of one
// user in one request, the first wins. A number enabled this way ends
// Enabled but Unassigned (R5) after the carrier provisions it (R7). An
// already enabled number is ok as it is, and turns nothing off; a failed
// one is retried. PreviewEnableNumbers tells, before, what a request
// would turn off.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for no numbers; bulk_too_large (CodeBulkTooLarge)
// for more than MaxBulkItems. A number fails on its own, in its result, with
// invalid_phone_number (CodeInvalidPhoneNumber) or unsupported_country
// (CodeUnsupportedCountry) when it cannot be read, number_not_found
// (CodeNumberNotFound) when the inventory does not hold it,
// number_has_no_user (CodeNumberHasNoUser) when it belongs to no user,
// license_required (CodeLicenseRequired) when its user has no license, or
// duplicate_user_in_request (CodeDuplicateUserInRequest) for a later number
// of the same user.
func (s *Service) EnableNumbers(ctx context.Context, tenantID string, numbers []string) ([]BulkResult, error) {
	return s.bulk(ctx, tenantID, numbers, func(tx Tx, now time.Time, r *smsReads) (func(string) (*PhoneNumber, error), error) {
		if err := r.loadUsers(ctx, tx, tenantID); err != nil {
			return nil, err
		}
		users := map[string]string{} // user -> the number that claimed it in this request
		return func(number string) (*PhoneNumber, error) {
			return s.enableOne(ctx, tx, tenantID, number, r, users, now)
		}, nil
	})
}

// Replacement is a number that enabling another number of its user would
// turn off (R4), as it is now: what EnableNumbers or SetUserSMS would name
// in that number's result (BulkResult.Replaced).
type Replacement struct {
	// Number is the number to enable (E.164).
	Number string `json:"number"`
	// UserID and UserName are the user both numbers belong to.
	UserID   string `json:"user_id"`
	UserName string `json:"user_name"`
	// Replaced is the user's SMS number that enabling Number turns off.
	Replaced *SMSNumber `json:"replaced"`
	// Sending is set when Replaced is in a campaign or on its way into
	// one (SMSState.InCampaign): the user sends SMS from it, or will once
	// the carrier is done, and turning it off ends that until Number is
	// Enabled and Assigned.
	Sending bool `json:"sending"`
}

// PreviewEnableNumbers answers, changing nothing, what EnableNumbers
// would turn off for numbers now (R4): for each number of the request
// that would replace its user's other SMS number, in input order, that
// number as it is. The same code decides as for EnableNumbers
// (planEnable), with the same reads, so the answer is what EnableNumbers
// would do with the tenant as it is now; a request made later may find
// it changed. An item that would fail, or turn nothing off (a number
// enabled already, or listed again), is not in the answer. It is what
// the console asks about before it enables (SetUserSMS's enable of one
// number is previewed as a request of that number).
//
// Errors: as EnableNumbers for the whole request: forbidden
// (CodeForbidden) for a user token; not_found (CodeNotFound) for another
// tenant or an unknown one; validation_failed (CodeValidationFailed) for
// no numbers; bulk_too_large (CodeBulkTooLarge) for more than
// MaxBulkItems.
func (s *Service) PreviewEnableNumbers(ctx context.Context, tenantID string, numbers []string) ([]*Replacement, error) {
	var out []*Replacement
	_, err := s.bulkIn(ctx, tenantID, numbers, false, func(tx Tx, now time.Time, r *smsReads) (func(string) (*PhoneNumber, error), error) {
		if err := r.loadUsers(ctx, tx, tenantID); err != nil {
			return nil, err
		}
		users := map[string]string{}
		planned := map[string]bool{}
		return func(number string) (*PhoneNumber, error) {
			p, err := s.planEnable(ctx, tx, tenantID, number, r, users)
			if err != nil {
				return nil, err
			}
			// A number listed again changes nothing: the first listing
			// enabled it (EnableNumbers reads it enabled then).
			if p.act && !planned[number] {
				for _, other := range p.off {
					out = append(out, &Replacement{Number: p.n.Number, UserID: p.u.ID, UserName: p.u.Name,
						Replaced: s.smsView(other), Sending: other.SMS.InCampaign()})
				}
			}
			planned[number] = true
			return p.n, nil
		}, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// bulk runs a per-number operation over a bulk request in one
// transaction. The numbers' form is checked first (R2), outside it; they
// are read at once in it (smsReads), and only those that are not in the
// inventory are checked against the numbering plans (R1, R2): a number
// of the inventory passed them when it was added, and what is written as
// its digits parses to it (numberDigits), so the request skips the
// plans' lookups (40 µs a number) for the numbers it can act on. begin
// prepares the request (inside the transaction) and returns the
// operation for one number, given as E.164. A number's refusal is its
// result; an internal error fails the whole request and rolls it back.
// The items' audit entries are written together at the end (auditBatch).
// An item whose enable turned its user's other number off (R4) names it in
// its result (smsReads.takeReplaced).
func (s *Service) bulk(ctx context.Context, tenantID string, numbers []string, begin func(tx Tx, now time.Time, r *smsReads) (func(number string) (*PhoneNumber, error), error)) ([]BulkResult, error) {
	return s.bulkIn(ctx, tenantID, numbers, true, begin)
}

// bulkIn is bulk in a transaction that writes (write) or only reads (a
// preview of a bulk request: its operation changes nothing).
func (s *Service) bulkIn(ctx context.Context, tenantID string, numbers []string, write bool, begin func(tx Tx, now time.Time, r *smsReads) (func(number string) (*PhoneNumber, error), error)) ([]BulkResult, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return nil, err
	}
	if err := checkBulk(numbers); err != nil {
		return nil, err
	}
	results := make([]BulkResult, len(numbers))
	digits := make([]string, len(numbers))
	for i, raw := range numbers {
		d, err := numberDigits(raw)
		if err != nil {
			results[i] = failResult(raw, err)
			continue
		}
		digits[i] = d
	}
	run := s.store.View
	if write {
		run = s.store.Update
	}
	err = run(ctx, func(stx Tx) error {
		tx := &auditBatch{Tx: stx}
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		r := &smsReads{}
		if err := r.load(ctx, tx, tenantID, digits); err != nil {
			return err
		}
		one, err := begin(tx, s.now(), r)
		if err != nil {
			return err
		}
		for i, number := range digits {
			if number == "" {
				continue // its result is why it is not written as a number
			}
			if r.numbers[number] == nil {
				p, err := parseDigits(numbers[i], number)
				if err != nil {
					results[i] = failResult(numbers[i], err)
					continue
				}
				number = p.E164
			}
			n, err := one(number)
			if ErrorCode(err) == CodeInternal {
				return err
			} else if err != nil {
				results[i] = failResult(numbers[i], err)
				continue
			}
			results[i] = s.okResult(n)
			results[i].Replaced = r.takeReplaced(n.Number)
		}
		return tx.flush(ctx)
	})
	if err != nil {
		return nil, err
	}
	if write {
		s.notify()
	}
	return results, nil
}

// smsReads is what an SMS request reads of numbers and their users: read
// at once at the start of a bulk request (load, loadUsers), so that its
// items cost no read each, or, for what was not read so (the zero
// smsReads, for a request of one number), read when asked. A number or
// user the request changes is changed in place, so that what it reads
// later is what it wrote. A number changed otherwise (R4: the user's
// other numbers, disabled by enabling one) is not read again by the
// request: any later item of that user is refused as a second number of
// one user (duplicate_user_in_request) before its state matters, and
// every refusal comes before an item changes anything.
type smsReads struct {
	numbers map[string]*PhoneNumber
	users   map[string]*User
	// replaced is, by number (E.164), the number whose SMS enabling it
	// turned off in this request (R4), until its result takes it
	// (takeReplaced).
	replaced map[string]string
}

// replace records that enabling number turned off off, its user's other
// SMS numbers (R4). R4 leaves a user at most one; were there ever more,
// every one was turned off, and the first in the user's list of numbers
// is the one the result names.
func (r *smsReads) replace(number string, off []*PhoneNumber) {
	if len(off) == 0 {
		return
	}
	if r.replaced == nil {
		r.replaced = map[string]string{}
	}
	r.replaced[number] = off[0].Number
}

// takeReplaced returns the number that enabling number turned off in this
// request, if any, and forgets it: the item that turned it off says so,
// and a later listing of the same number, which changes nothing, does
// not.
func (r *smsReads) takeReplaced(number string) string {
	off := r.replaced[number]
	delete(r.replaced, number)
	return off
}

// load reads the tenant's numbers among numbers (E.164; "" is skipped).
func (r *smsReads) load(ctx context.Context, tx Tx, tenantID string, numbers []string) error {
	r.numbers = map[string]*PhoneNumber{}
	var want []string
	for _, n := range numbers {
		if n != "" {
			want = append(want, n)
		}
	}
	if len(want) == 0 {
		return nil
	}
	return forNamed(want, func(numbers []string, p ListParams) ([]*PhoneNumber, error) {
		return tx.NumberList(ctx, NumberListParams{TenantID: tenantID, Numbers: numbers, ListParams: p})
	}, func(n *PhoneNumber) error {
		r.numbers[n.Number] = n
		return nil
	})
}

// loadUsers reads the users of the numbers load read.
func (r *smsReads) loadUsers(ctx context.Context, tx Tx, tenantID string) error {
	r.users = map[string]*User{}
	var ids []string
	for _, n := range r.numbers {
		if n.UserID != "" {
			ids = append(ids, n.UserID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return forNamed(ids, func(ids []string, p ListParams) ([]*User, error) {
		return tx.UserList(ctx, UserListParams{TenantID: tenantID, IDs: ids, ListParams: p})
	}, func(u *User) error {
		r.users[u.ID] = u
		return nil
	})
}

// number returns the tenant's number (E.164), or number_not_found.
func (r *smsReads) number(ctx context.Context, tx Tx, tenantID, number string) (*PhoneNumber, error) {
	if n := r.numbers[number]; n != nil {
		return n, nil
	}
	return getNumber(ctx, tx, tenantID, number)
}

// user returns the tenant's user id.
func (r *smsReads) user(ctx context.Context, tx Tx, tenantID, id string) (*User, error) {
	if u := r.users[id]; u != nil {
		return u, nil
	}
	return tx.UserGet(ctx, tenantID, id)
}

// smsNumberOfUser reads a number of the inventory (E.164) for an SMS
// request and checks R3: it belongs to a user of the tenant.
func (s *Service) smsNumberOfUser(ctx context.Context, tx Tx, tenantID, number string, r *smsReads) (*PhoneNumber, *User, error) {
	n, err := r.number(ctx, tx, tenantID, number)
	if err != nil {
		return nil, nil, err
	}
	if n.UserID == "" {
		return n, nil, Errorf(CodeNumberHasNoUser, "%s belongs to no user; give it to a user first (PATCH the user's phone_numbers).", n.Number)
	}
	u, err := r.user(ctx, tx, tenantID, n.UserID)
	if err != nil {
		return nil, nil, err
	}
	return n, u, nil
}

// enablePlan is what enabling one number does, decided before anything
// changes (planEnable): the one place that decides it, for EnableNumbers,
// SetUserSMS and RetryNumbers, and for PreviewEnableNumbers, so that a
// preview says what the change does.
type enablePlan struct {
	n *PhoneNumber
	u *User // n's user
	// act is false when n is enabled already or on its way: enabling it
	// changes nothing.
	act bool
	// off are the user's other SMS numbers, which enabling n turns off
	// (R4): at most one, as R4 holds.
	off []*PhoneNumber
}

// planEnable reads one number (E.164) and its user through r and decides
// what enabling it does (R3, R4, R5), changing nothing but users, the
// request's record of the number that claimed each user. Its refusal is
// the error.
func (s *Service) planEnable(ctx context.Context, tx Tx, tenantID, number string, r *smsReads, users map[string]string) (*enablePlan, error) {
	n, u, err := s.smsNumberOfUser(ctx, tx, tenantID, number, r)
	if err != nil {
		return nil, err
	}
	if first, dup := users[u.ID]; dup && first != n.Number {
		return nil, Errorf(CodeDuplicateUserInRequest, "%s and %s both belong to %s; only one number per user can be SMS-enabled, and the first listed (%s) wins.", first, n.Number, u.Name, first)
	}
	users[u.ID] = n.Number
	if !u.HasLicense() {
		return nil, Errorf(CodeLicenseRequired, "%s has no license; SMS needs a licensed user. Give %s a license first.", u.Name, u.Name)
	}
	p := &enablePlan{n: n, u: u}
	if n.SMS.WantSMS && n.SMS.Status != NumberEnablingFailed && n.SMS.Status != NumberAssignmentFailed {
		return p, nil // already enabled or on its way: nothing to do
	}
	p.act = true
	p.off, err = otherSMSNumbers(ctx, tx, u, n.Number)
	return p, err
}

// enableOne enables one number (E.164) in the caller's transaction (R3,
// R4, R5, R7), reading it and its user through r, as planEnable decides.
// The user's other SMS number it turns off is recorded in r for the
// number's result (smsReads.replace).
func (s *Service) enableOne(ctx context.Context, tx Tx, tenantID, number string, r *smsReads, users map[string]string, now time.Time) (*PhoneNumber, error) {
	p, err := s.planEnable(ctx, tx, tenantID, number, r, users)
	if err != nil {
		return nil, err
	}
	n, u := p.n, p.u
	if !p.act {
		return n, nil
	}
	// A number on its way out is taken back too (R18: the admin's latest
	// wish wins): the removal in flight at the carrier runs to its end,
	// then the reconciler undoes what must be undone (SMSState.Enable).
	// R4: the user's other SMS number leaves (and leaves its campaign).
	if len(p.off) > 1 {
		s.log.Warn("a user had several SMS numbers (R4): enabling one turns them all off", "tenant", tenantID, "user", u.ID, "number", n.Number, "off", len(p.off))
	}
	if err := s.disableAll(ctx, tx, p.off, now, ""); err != nil {
		return nil, err
	}
	r.replace(n.Number, p.off)
	if u.SMSOff != nil {
		// SMS is on again for the user: why it went off is history (the
		// audit log keeps it).
		if err := tx.UserSetSMSOff(ctx, u.TenantID, u.ID, nil); err != nil {
			return nil, err
		}
		u.SMSOff = nil
	}
	before := *n
	n.SMS.Enable(now)
	makeDue(ctx, n, now)
	return n, s.writeNumber(ctx, tx, before, n, ActionNumberSMSEnable)
}

// disableOthers disables every SMS number of u but keep (R16 with keep ""
// and cause license_changed).
func (s *Service) disableOthers(ctx context.Context, tx Tx, u *User, keep string, now time.Time, cause string) error {
	others, err := otherSMSNumbers(ctx, tx, u, keep)
	if err != nil {
		return err
	}
	return s.disableAll(ctx, tx, others, now, cause)
}

// otherSMSNumbers reads u's SMS numbers but keep, in the order of the
// user's numbers: those that count under R4 (SMSState.IsDefaultSMS), which
// enabling keep turns off. R4 leaves at most one.
func otherSMSNumbers(ctx context.Context, tx Tx, u *User, keep string) ([]*PhoneNumber, error) {
	var out []*PhoneNumber
	for _, num := range u.PhoneNumbers {
		if num == keep {
			continue
		}
		other, err := tx.NumberGet(ctx, u.TenantID, num)
		if err != nil {
			return nil, err
		}
		if other.SMS.IsDefaultSMS() {
			out = append(out, other)
		}
	}
	return out, nil
}

// disableAll disables numbers, recording cause as disable does.
func (s *Service) disableAll(ctx context.Context, tx Tx, numbers []*PhoneNumber, now time.Time, cause string) error {
	for _, n := range numbers {
		if err := s.disable(ctx, tx, n, now, cause); err != nil {
			return err
		}
	}
	return nil
}

// disable turns SMS off on a number: it leaves its campaign and the carrier
// deprovisions it (R10, R18), or keeps it provisioned for a while (R17).
// When it was its user's default SMS number, cause (a Cause code) is
// recorded on the user for the diagnosis (R19) and in the audit entry;
// "" records nothing (R4: another number of the user takes over).
func (s *Service) disable(ctx context.Context, tx Tx, n *PhoneNumber, now time.Time, cause string) error {
	before := *n
	n.SMS.Disable(now, s.reenable)
	makeDue(ctx, n, now)
	if cause == "" || !before.SMS.WantSMS || n.UserID == "" {
		return s.writeNumber(ctx, tx, before, n, ActionNumberSMSDisable)
	}
	off := &SMSOff{Cause: cause, Number: n.Number, Campaign: before.SMS.CampaignID, Event: Event{At: now, By: whoOf(ctx)}}
	if err := tx.UserSetSMSOff(ctx, n.TenantID, n.UserID, off); err != nil {
		return err
	}
	return s.writeNumberOff(ctx, tx, before, n, ActionNumberSMSDisable, off)
}

// UnassignDisableNumbers takes numbers out of their campaign and disables
// SMS on them at once, without confirmation (R10): Pending, then Disabled,
// or Disabling Failed (asking again retries). A disable wins over an
// enable or assignment in flight (R18): that operation is followed to its
// end and undone.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for no numbers; bulk_too_large (CodeBulkTooLarge)
// for more than MaxBulkItems. A number fails on its own, in its result, with
// invalid_phone_number (CodeInvalidPhoneNumber) or unsupported_country
// (CodeUnsupportedCountry) when it cannot be read, number_not_found
// (CodeNumberNotFound) when the inventory does not hold it, or not_enabled
// (CodeNotEnabled) when SMS is disabled on it.
func (s *Service) UnassignDisableNumbers(ctx context.Context, tenantID string, numbers []string) ([]BulkResult, error) {
	return s.bulk(ctx, tenantID, numbers, func(tx Tx, now time.Time, r *smsReads) (func(string) (*PhoneNumber, error), error) {
		return func(number string) (*PhoneNumber, error) { return s.disableOne(ctx, tx, tenantID, number, r, now) }, nil
	})
}

func (s *Service) disableOne(ctx context.Context, tx Tx, tenantID, number string, r *smsReads, now time.Time) (*PhoneNumber, error) {
	n, err := r.number(ctx, tx, tenantID, number)
	if err != nil {
		return nil, err
	}
	switch {
	case !n.SMS.Enabled():
		return nil, Errorf(CodeNotEnabled, "%s is not SMS-enabled.", n.Number)
	case !n.SMS.WantSMS && n.SMS.Busy():
		return n, nil // already on its way out
	}
	return n, s.disable(ctx, tx, n, now, CauseDisabledByAdmin)
}

// AssignNumbers puts Enabled but Unassigned numbers (or ones whose last
// assignment failed) in a campaign (R8). The campaign must be usable
// (Campaign.Usable), of the number's country, and have room (R9): the
// count is read and the numbers reserved in one transaction, which the
// Store serialises, so concurrent requests never pass the limit.
// Assigning is asynchronous: Pending, then Enabled and Assigned or
// Assignment Failed.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown campaign;
// validation_failed (CodeValidationFailed) for no campaign_id or no numbers;
// bulk_too_large (CodeBulkTooLarge) for more than MaxBulkItems. A number
// fails on its own, in its result, with invalid_phone_number
// (CodeInvalidPhoneNumber) or unsupported_country (CodeUnsupportedCountry)
// when it cannot be read, number_not_found (CodeNumberNotFound) when the
// inventory does not hold it, not_enabled (CodeNotEnabled) when it is not
// Enabled but Unassigned or Assignment Failed, operation_pending
// (CodeOperationPending) while a carrier operation on it is in flight,
// conflict (CodeConflict) when it is in another campaign,
// campaign_not_verified (CodeCampaignNotVerified) or campaign_deactivated
// (CodeCampaignDeactivated) when the campaign is not usable (R8, R11, R14),
// country_mismatch (CodeCountryMismatch) for a number of another country, or
// campaign_full (CodeCampaignFull) past the campaign's limit (R9).
func (s *Service) AssignNumbers(ctx context.Context, tenantID, campaignID string, numbers []string) ([]BulkResult, error) {
	if campaignID == "" {
		return nil, FieldErrorf("campaign_id", "required", "campaign_id is required.")
	}
	return s.bulk(ctx, tenantID, numbers, func(tx Tx, now time.Time, r *smsReads) (func(string) (*PhoneNumber, error), error) {
		c, err := tx.CampaignGet(ctx, tenantID, campaignID)
		if err != nil {
			return nil, err
		}
		usable, err := s.usable(ctx, tx, c)
		if err != nil {
			return nil, err
		}
		return func(number string) (*PhoneNumber, error) {
			n, err := r.number(ctx, tx, tenantID, number)
			if err != nil {
				return nil, err
			}
			return n, s.assignOne(ctx, tx, n, c, usable, now)
		}, nil
	})
}

// usable is Campaign.Usable with the campaign's brand read where its
// country needs one (R11). An error reading is the second result.
func (s *Service) usable(ctx context.Context, tx Tx, c *Campaign) (usable, err error) {
	b, err := campaignBrand(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	return c.Usable(b), nil
}

// campaignBrand reads c's brand where its country needs one (R11), and is
// nil elsewhere.
func campaignBrand(ctx context.Context, tx Tx, c *Campaign) (*Brand, error) {
	if !NeedsVerifiedBrand(c.Country) {
		return nil, nil
	}
	return tx.BrandGet(ctx, c.TenantID, c.BrandID)
}

// assignOne assigns n to c in the caller's transaction (R8, R9). c's
// NumberCount is kept up to date as places are reserved, so that one
// request assigning many numbers sees its own reservations.
func (s *Service) assignOne(ctx context.Context, tx Tx, n *PhoneNumber, c *Campaign, usable error, now time.Time) error {
	switch st := n.SMS.Status; {
	case n.SMS.WantSMS && n.SMS.CampaignID == c.ID:
		return nil // already assigned or on its way
	case st == NumberPending:
		return Errorf(CodeOperationPending, "%s has an operation in flight at the carrier (%s); assign it once that completes.", n.Number, n.SMS.PendingOperation)
	case st == NumberEnabledAssigned:
		return Errorf(CodeConflict, "%s is assigned to campaign %s; a number is in one campaign at a time.", n.Number, n.SMS.CampaignID)
	case st != NumberEnabledUnassigned && st != NumberAssignmentFailed:
		return Errorf(CodeNotEnabled, "%s is %s; enable SMS on it first.", n.Number, st)
	}
	return s.assignTo(ctx, tx, n, c, usable, now)
}

// assignTo checks that c admits n (R8, R9) and reserves its place: the
// one path to a campaign, for the SMS page and the profile (R6) alike.
func (s *Service) assignTo(ctx context.Context, tx Tx, n *PhoneNumber, c *Campaign, usable error, now time.Time) error {
	if err := c.Admits(n, usable, c.NumberCount); err != nil {
		return err
	}
	if !n.SMS.CountsToward(c.ID) {
		c.NumberCount++
	}
	before := *n
	n.SMS.Assign(c.ID, c.CarrierRef)
	makeDue(ctx, n, now)
	return s.writeNumber(ctx, tx, before, n, ActionNumberSMSAssign)
}

// SetUserSMS is the user profile's SMS toggle. Enabling (R6) enables the
// number as EnableNumbers does and assigns it to the tenant's usable
// campaign for its country when exactly one has room; otherwise it stays
// Enabled but Unassigned with a warning (no_campaign, campaign_full,
// several_campaigns). Enabling turns off the user's other SMS number (R4),
// and the answer names it (BulkResult.Replaced); PreviewEnableNumbers of
// the number tells it before. Disabling (R18) turns SMS off until an admin
// enables it again.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown user;
// invalid_phone_number (CodeInvalidPhoneNumber) or unsupported_country
// (CodeUnsupportedCountry) for number; number_not_found (CodeNumberNotFound)
// when it is not one of the user's numbers; license_required
// (CodeLicenseRequired) when enabling for a user without a license.
func (s *Service) SetUserSMS(ctx context.Context, tenantID, userID, number string, enabled bool) (*BulkResult, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return nil, err
	}
	p, err := ParseNumber(number)
	if err != nil {
		return nil, err
	}
	var res BulkResult
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		if _, err := getUser(ctx, tx, tenantID, userID); err != nil {
			return err
		}
		n, err := getNumber(ctx, tx, tenantID, p.E164)
		if err != nil {
			return err
		}
		if n.UserID != userID {
			return Errorf(CodeNumberNotFound, "%s is not one of this user's numbers.", p.E164)
		}
		now := s.now()
		if !enabled { // R18: at any time
			if n.SMS.Enabled() && n.SMS.WantSMS {
				if err := s.disable(ctx, tx, n, now, CauseDisabledByAdmin); err != nil {
					return err
				}
			}
			res = s.okResult(n)
			return nil
		}
		reads := &smsReads{}
		if n, err = s.enableOne(ctx, tx, tenantID, p.E164, reads, map[string]string{}, now); err != nil {
			return err
		}
		warning, err := s.autoAssign(ctx, tx, n, now)
		if err != nil {
			return err
		}
		res = s.okResult(n)
		res.Warning, res.Replaced = warning, reads.takeReplaced(n.Number)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.notify()
	return &res, nil
}

// autoAssign is R6: assign n, through the assign path, to the tenant's one
// campaign that admits it, or say why not.
func (s *Service) autoAssign(ctx context.Context, tx Tx, n *PhoneNumber, now time.Time) (*Warning, error) {
	if n.SMS.CampaignID != "" {
		return nil, nil
	}
	type candidate struct {
		c      *Campaign
		usable error
	}
	var usable, withRoom []candidate
	err := forEach("", func(p ListParams) ([]*Campaign, error) {
		return tx.CampaignList(ctx, CampaignListParams{TenantID: n.TenantID, ListParams: p})
	}, func(c *Campaign) string { return c.ID }, func(c *Campaign) error {
		u, err := s.usable(ctx, tx, c)
		if err != nil {
			return err
		}
		switch ErrorCode(c.Admits(n, u, c.NumberCount)) {
		case "":
			withRoom = append(withRoom, candidate{c, u})
			usable = append(usable, candidate{c, u})
		case CodeCampaignFull:
			usable = append(usable, candidate{c, u})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch {
	case len(usable) == 0:
		return &Warning{Code: WarningNoCampaign, Message: fmt.Sprintf("SMS is enabled, but there is no verified %s campaign to assign %s to; it stays Enabled but Unassigned.", n.Country, n.Number)}, nil
	case len(withRoom) == 0:
		return &Warning{Code: WarningCampaignFull, Message: fmt.Sprintf("SMS is enabled, but every verified %s campaign is full; %s stays Enabled but Unassigned.", n.Country, n.Number)}, nil
	case len(withRoom) > 1:
		return &Warning{Code: WarningSeveralCampaigns, Message: fmt.Sprintf("SMS is enabled; %d verified %s campaigns have room, so choose one and assign %s from the SMS page.", len(withRoom), n.Country, n.Number)}, nil
	}
	// The number's enable is pending now: it is assigned as the SMS page
	// would once it is Enabled but Unassigned, without waiting for that.
	return nil, s.assignTo(ctx, tx, n, withRoom[0].c, withRoom[0].usable, now)
}
