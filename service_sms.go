package smsadmin

import (
	"context"
	"fmt"
	"time"
)

// Audit actions of SMS state.
const (
	ActionNumberSMSEnable    = "number.sms_enable"
	ActionNumberSMSDisable   = "number.sms_disable"
	ActionNumberSMSAssign    = "number.sms_assign"
	ActionNumberCarrier      = "number.carrier_update" // the carrier changed it
	ActionCampaignLimit      = "campaign.number_limit"
	ActionCampaignDeactivate = "campaign.deactivate"
	// MaxBulkItems is the most numbers one bulk request carries.
	MaxBulkItems = 1000
	// MaxNumberLimit is the highest campaign number limit support may set.
	MaxNumberLimit = 100000
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
	v := &SMSNumber{Number: n.Number, Status: n.SMS.Status, IsDefault: n.SMS.Counts() && n.UserID != "", UpdatedAt: n.UpdatedAt}
	if v.Status == "" {
		v.Status = NumberDisabled
	}
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
	number           *PhoneNumber // for tests and the profile
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

// plan marks a number's SMS state changed by a request: derive its status
// and make it due for the reconciler at once.
func (s *Service) plan(n *PhoneNumber, now time.Time) {
	n.SMS.Derive(now)
	n.SMS.Work.DueAt = &now
	n.SMS.Work.Attempts, n.SMS.Work.LastError = 0, ""
	n.UpdatedAt = now
}

// writeNumber stores a number's change and its audit entry.
func (s *Service) writeNumber(ctx context.Context, tx Tx, before PhoneNumber, n *PhoneNumber, action string) error {
	if err := tx.NumberUpdate(ctx, n); err != nil {
		return err
	}
	return s.audit(ctx, tx, n.TenantID, action, "number/"+n.Number, s.auditView(&before), s.auditView(n))
}

// auditView is what the audit log keeps of a number: owner and SMS state.
func (s *Service) auditView(n *PhoneNumber) any {
	v := s.smsView(n)
	return struct {
		*SMSNumber
		SMSOn   bool   `json:"sms_on"`
		Country string `json:"country"`
	}{v, n.SMS.SMSOn, n.Country}
}

// EnableNumbers enables SMS on numbers (the SMS page's "+ Enable phone
// numbers", R5). Each number is handled on its own: it must be in the
// inventory (number_not_found), belong to a user (number_has_no_user) who
// holds a license (license_required). Enabling a user's number disables
// the user's previous SMS number (R4); two numbers of one user in one
// request: the first wins, the others fail with duplicate_user_in_request.
// A number enabled this way ends Enabled but Unassigned (R5) after the
// carrier provisions it (R7). An already enabled number is ok as it is; a
// failed one is retried.
func (s *Service) EnableNumbers(ctx context.Context, tenantID string, numbers []string) ([]BulkResult, error) {
	return s.bulk(ctx, tenantID, numbers, func(tx Tx, now time.Time) (func(string) (*PhoneNumber, error), error) {
		users := map[string]string{} // user -> the number that claimed it in this request
		return func(raw string) (*PhoneNumber, error) { return s.enableOne(ctx, tx, tenantID, raw, users, now) }, nil
	})
}

// bulk runs a per-number operation over a bulk request in one
// transaction. begin prepares the request (inside the transaction) and
// returns the operation for one number. A number's refusal is its result;
// an internal error fails the whole request and rolls it back.
func (s *Service) bulk(ctx context.Context, tenantID string, numbers []string, begin func(tx Tx, now time.Time) (func(raw string) (*PhoneNumber, error), error)) ([]BulkResult, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return nil, err
	}
	if err := checkBulk(numbers); err != nil {
		return nil, err
	}
	results := make([]BulkResult, len(numbers))
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		one, err := begin(tx, s.now())
		if err != nil {
			return err
		}
		for i, raw := range numbers {
			n, err := one(raw)
			if ErrorCode(err) == CodeInternal {
				return err
			} else if err != nil {
				results[i] = failResult(raw, err)
				continue
			}
			results[i] = s.okResult(n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.notify()
	return results, nil
}

// smsNumberOfUser reads a number of the inventory for an SMS request and
// checks R3: it belongs to a user of the tenant who holds a license.
func (s *Service) smsNumberOfUser(ctx context.Context, tx Tx, tenantID, raw string) (*PhoneNumber, *User, error) {
	p, err := ParseNumber(raw)
	if err != nil {
		return nil, nil, err
	}
	n, err := getNumber(ctx, tx, tenantID, p.E164)
	if err != nil {
		return nil, nil, err
	}
	if n.UserID == "" {
		return n, nil, Errorf(CodeNumberHasNoUser, "%s belongs to no user; give it to a user first (PATCH the user's phone_numbers).", n.Number)
	}
	u, err := tx.UserGet(ctx, tenantID, n.UserID)
	if err != nil {
		return nil, nil, err
	}
	return n, u, nil
}

// enableOne enables one number in the caller's transaction (R3, R4, R5, R7).
func (s *Service) enableOne(ctx context.Context, tx Tx, tenantID, raw string, users map[string]string, now time.Time) (*PhoneNumber, error) {
	n, u, err := s.smsNumberOfUser(ctx, tx, tenantID, raw)
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
	switch {
	case n.SMS.SMSOn && n.SMS.Status != NumberEnablingFailed && n.SMS.Status != NumberAssignmentFailed:
		return n, nil // already enabled or on its way: nothing to do
	case !n.SMS.SMSOn && n.SMS.Busy():
		return nil, Errorf(CodeOperationPending, "%s is being disabled at the carrier; enable it again once that completes.", n.Number)
	}
	// R4: the user's other SMS number leaves (and leaves its campaign).
	if err := s.disableOthers(ctx, tx, u, n.Number, now); err != nil {
		return nil, err
	}
	before := *n
	n.SMS.SMSOn, n.SMS.Failure = true, nil
	if n.SMS.Status == NumberAssignmentFailed {
		n.SMS.CampaignID, n.SMS.CampaignRef = "", ""
	}
	s.plan(n, now)
	return n, s.writeNumber(ctx, tx, before, n, ActionNumberSMSEnable)
}

// disableOthers disables every SMS number of u but keep (R4).
func (s *Service) disableOthers(ctx context.Context, tx Tx, u *User, keep string, now time.Time) error {
	for _, num := range u.PhoneNumbers {
		if num == keep {
			continue
		}
		other, err := tx.NumberGet(ctx, u.TenantID, num)
		if err != nil {
			return err
		}
		if other.SMS.SMSOn {
			if err := s.disable(ctx, tx, other, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// disable turns SMS off on a number: it leaves its campaign and the carrier
// deprovisions it (R10, R18). Audited as a disable.
func (s *Service) disable(ctx context.Context, tx Tx, n *PhoneNumber, now time.Time) error {
	before := *n
	n.SMS.SMSOn, n.SMS.CampaignID, n.SMS.CampaignRef, n.SMS.Failure = false, "", "", nil
	s.plan(n, now)
	return s.writeNumber(ctx, tx, before, n, ActionNumberSMSDisable)
}

// UnassignDisableNumbers takes numbers out of their campaign and disables
// SMS on them at once, without confirmation (R10): Pending, then Disabled,
// or Disabling Failed (asking again retries). A number whose enabling or
// assignment is in flight fails with operation_pending; a disabled one
// with not_enabled.
func (s *Service) UnassignDisableNumbers(ctx context.Context, tenantID string, numbers []string) ([]BulkResult, error) {
	return s.bulk(ctx, tenantID, numbers, func(tx Tx, now time.Time) (func(string) (*PhoneNumber, error), error) {
		return func(raw string) (*PhoneNumber, error) { return s.disableOne(ctx, tx, tenantID, raw, now) }, nil
	})
}

func (s *Service) disableOne(ctx context.Context, tx Tx, tenantID, raw string, now time.Time) (*PhoneNumber, error) {
	p, err := ParseNumber(raw)
	if err != nil {
		return nil, err
	}
	n, err := getNumber(ctx, tx, tenantID, p.E164)
	if err != nil {
		return nil, err
	}
	switch {
	case n.SMS.Status == NumberDisabled || n.SMS.Status == "":
		return nil, Errorf(CodeNotEnabled, "%s is not SMS-enabled.", n.Number)
	case !n.SMS.SMSOn && n.SMS.Status == NumberPending:
		return n, nil // already on its way out
	case n.SMS.SMSOn && n.SMS.Busy():
		return nil, Errorf(CodeOperationPending, "%s is being %sd at the carrier; disable it once that completes.", n.Number, n.SMS.PendingOperation)
	}
	return n, s.disable(ctx, tx, n, now)
}

// AssignNumbers puts Enabled but Unassigned numbers (or ones whose last
// assignment failed) in a campaign (R8). The campaign must be verified, of
// a verified brand in the US and Canada (campaign_not_verified), not
// deactivated (campaign_deactivated), of the number's country
// (country_mismatch), and have room (R9, campaign_full): the count is read
// and the numbers reserved in one transaction, so concurrent requests never
// pass the limit. Assigning is asynchronous: Pending, then Enabled and
// Assigned or Assignment Failed.
func (s *Service) AssignNumbers(ctx context.Context, tenantID, campaignID string, numbers []string) ([]BulkResult, error) {
	if campaignID == "" {
		return nil, FieldErrorf("campaign_id", "required", "campaign_id is required.")
	}
	return s.bulk(ctx, tenantID, numbers, func(tx Tx, now time.Time) (func(string) (*PhoneNumber, error), error) {
		c, err := tx.CampaignGet(ctx, tenantID, campaignID)
		if err != nil {
			return nil, err
		}
		usable := s.campaignUsable(ctx, tx, c)
		// R9: counted once, then kept by assignOne as it reserves places,
		// all in this transaction: concurrent requests queue behind it.
		count := c.NumberCount
		return func(raw string) (*PhoneNumber, error) {
			return s.assignOne(ctx, tx, tenantID, raw, c, usable, &count, now)
		}, nil
	})
}

// campaignUsable says whether numbers may be assigned to c (R8, R11, R14),
// as an error with the code to give, or nil.
func (s *Service) campaignUsable(ctx context.Context, tx Tx, c *Campaign) error {
	if c.Status == StatusDeactivated || c.DeactivateRequested {
		return Errorf(CodeCampaignDeactivated, "Campaign %s is deactivated; numbers can never be assigned to it again.", c.ID)
	}
	if c.Status != StatusVerified {
		return Errorf(CodeCampaignNotVerified, "Campaign %s is %s; numbers can be assigned only to a verified campaign.", c.ID, c.Status)
	}
	if NeedsVerifiedBrand(c.Country) {
		b, err := tx.BrandGet(ctx, c.TenantID, c.BrandID)
		if err != nil {
			return err
		}
		if b.Status != StatusVerified {
			return Errorf(CodeCampaignNotVerified, "Campaign %s's brand %s is %s; a %s campaign needs its brand verified too (R11).", c.ID, b.ID, b.Status, c.Country)
		}
	}
	return nil
}

func (s *Service) assignOne(ctx context.Context, tx Tx, tenantID, raw string, c *Campaign, usable error, count *int, now time.Time) (*PhoneNumber, error) {
	p, err := ParseNumber(raw)
	if err != nil {
		return nil, err
	}
	n, err := getNumber(ctx, tx, tenantID, p.E164)
	if err != nil {
		return nil, err
	}
	switch st := n.SMS.Status; {
	case n.SMS.SMSOn && n.SMS.CampaignID == c.ID:
		return n, nil // already assigned or on its way
	case st == NumberPending:
		return nil, Errorf(CodeOperationPending, "%s has a %s in flight at the carrier; assign it once that completes.", n.Number, n.SMS.PendingOperation)
	case st == NumberEnabledAssigned:
		return nil, Errorf(CodeConflict, "%s is assigned to campaign %s; a number is in one campaign at a time.", n.Number, n.SMS.CampaignID)
	case st != NumberEnabledUnassigned && st != NumberAssignmentFailed:
		return nil, Errorf(CodeNotEnabled, "%s is %s; enable SMS on it first.", n.Number, displayStatus(st))
	}
	if usable != nil {
		return nil, usable
	}
	if n.Country != c.Country {
		return nil, Errorf(CodeCountryMismatch, "%s is a %s number; campaign %s is for %s.", n.Number, n.Country, c.ID, c.Country)
	}
	if *count >= c.NumberLimit { // R9
		return nil, Errorf(CodeCampaignFull, "Campaign %s holds %d of its %d numbers; ask support to raise the limit or free a number.", c.ID, *count, c.NumberLimit)
	}
	if !n.SMS.InCampaign(c.ID) {
		*count++
	}
	before := *n
	n.SMS.CampaignID, n.SMS.CampaignRef, n.SMS.Failure = c.ID, c.CarrierRef, nil
	s.plan(n, now)
	return n, s.writeNumber(ctx, tx, before, n, ActionNumberSMSAssign)
}

func displayStatus(st NumberStatus) string {
	if st == "" {
		return string(NumberDisabled)
	}
	return string(st)
}

// SetUserSMS is the user profile's SMS toggle. Enabling (R6) enables the
// number as EnableNumbers does and assigns it to the tenant's verified
// campaign for its country when exactly one has room; otherwise it stays
// Enabled but Unassigned with a warning (no_campaign, campaign_full,
// several_campaigns). Disabling (R18) turns SMS off until an admin enables
// it again. The number must be one of the user's (number_not_found).
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
		if !enabled {
			if n.SMS.Status == NumberDisabled || n.SMS.Status == "" || (!n.SMS.SMSOn && n.SMS.Busy()) {
				res = s.okResult(n)
				return nil
			}
			if n, err = s.disableOne(ctx, tx, tenantID, p.E164, now); err != nil {
				return err
			}
			res = s.okResult(n)
			return nil
		}
		if n, err = s.enableOne(ctx, tx, tenantID, p.E164, map[string]string{}, now); err != nil {
			return err
		}
		warning, err := s.autoAssign(ctx, tx, n, now)
		if err != nil {
			return err
		}
		res = s.okResult(n)
		res.Warning = warning
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.notify()
	return &res, nil
}

// autoAssign is R6: assign n to the tenant's one verified campaign for its
// country with room, or say why not.
func (s *Service) autoAssign(ctx context.Context, tx Tx, n *PhoneNumber, now time.Time) (*Warning, error) {
	if n.SMS.CampaignID != "" {
		return nil, nil
	}
	var usable, withRoom []*Campaign
	p := CampaignListParams{TenantID: n.TenantID, ListParams: ListParams{Limit: MaxPageLimit}}
	for {
		cs, err := tx.CampaignList(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if c.Country != n.Country || s.campaignUsable(ctx, tx, c) != nil {
				continue
			}
			usable = append(usable, c)
			if c.NumberCount < c.NumberLimit {
				withRoom = append(withRoom, c)
			}
		}
		if len(cs) < p.Limit {
			break
		}
		p.After = cs[len(cs)-1].ID
	}
	switch {
	case len(usable) == 0:
		return &Warning{Code: WarningNoCampaign, Message: fmt.Sprintf("SMS is enabled, but there is no verified %s campaign to assign %s to; it stays Enabled but Unassigned.", n.Country, n.Number)}, nil
	case len(withRoom) == 0:
		return &Warning{Code: WarningCampaignFull, Message: fmt.Sprintf("SMS is enabled, but every verified %s campaign is full; %s stays Enabled but Unassigned.", n.Country, n.Number)}, nil
	case len(withRoom) > 1:
		return &Warning{Code: WarningSeveralCampaigns, Message: fmt.Sprintf("SMS is enabled; %d verified %s campaigns have room, so choose one and assign %s from the SMS page.", len(withRoom), n.Country, n.Number)}, nil
	}
	before := *n
	n.SMS.CampaignID, n.SMS.CampaignRef = withRoom[0].ID, withRoom[0].CarrierRef
	s.plan(n, now)
	return nil, s.writeNumber(ctx, tx, before, n, ActionNumberSMSAssign)
}
