package smsadmin

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// Cause codes of the diagnosis (R19; API.md), the answer to "why can't
// this user send SMS?".
const (
	CauseSMSNotEnabled       = "sms_not_enabled"
	CauseNumberChanged       = "number_changed"    // R15
	CauseLicenseChanged      = "license_changed"   // R16
	CauseDisabledByAdmin     = "disabled_by_admin" // R18, R10
	CausePending             = "pending"           // R7, R8
	CauseEnablingFailed      = "enabling_failed"
	CauseAssignmentFailed    = "assignment_failed"
	CauseNotAssigned         = "not_assigned"
	CauseCampaignNotVerified = "campaign_not_verified" // R11, R13
	CauseCampaignDeactivated = "campaign_deactivated"  // R14
	CauseLicenseRequired     = "license_required"
)

// CauseCodes lists every cause code, in the order of API.md.
var CauseCodes = []string{CauseSMSNotEnabled, CauseNumberChanged, CauseLicenseChanged, CauseDisabledByAdmin,
	CausePending, CauseEnablingFailed, CauseAssignmentFailed, CauseNotAssigned, CauseCampaignNotVerified,
	CauseCampaignDeactivated, CauseLicenseRequired}

// ParseCause reads a cause code a client named (a list filter); "" is
// none. Errors: validation_failed naming field.
func ParseCause(field, s string) (string, error) {
	for _, c := range CauseCodes {
		if c == s {
			return c, nil
		}
	}
	if s == "" {
		return "", nil
	}
	return "", FieldErrorf(field, "invalid", "%s must be one of %s, not %q.", field, strings.Join(CauseCodes, ", "), s)
}

// Who is the actor of a recorded event: a principal (name and role), or
// the carrier, or smsadmin itself.
type Who struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role Role   `json:"role"`
}

// WhoCarrier is the carrier, as the actor of a change it made on its own.
var WhoCarrier = Who{ID: "carrier", Name: "carrier", Role: RoleCarrier}

// whoOf is the actor of a request.
func whoOf(ctx context.Context) Who {
	a, ok := ActorFrom(ctx)
	if !ok {
		return Who{ID: "system", Name: "system", Role: RoleSystem}
	}
	return Who{ID: a.PrincipalID, Name: a.Name, Role: a.Role}
}

// String is how a support agent reads the actor out: "Ann Lee (admin)",
// "carrier" or "system".
func (w Who) String() string {
	switch w.Role {
	case RoleCarrier, RoleSystem:
		return string(w.Role)
	}
	return fmt.Sprintf("%s (%s)", w.Name, w.Role)
}

// Event is a recorded moment: when, and who made it happen.
type Event struct {
	At time.Time `json:"at"`
	By Who       `json:"by"`
	// RequestID is the API request that made it, when one did: the
	// events of its outcome name it (R25).
	RequestID string `json:"request_id,omitempty"`
}

// SMSOff records why SMS went off for a user (R14, R15, R16, R18): which
// cause, on which number, in which campaign, when and by whom.
type SMSOff struct {
	Cause    string `json:"cause"`
	Number   string `json:"number"`
	Campaign string `json:"campaign,omitempty"`
	Event
}

// Cause is one reason a user cannot send SMS, with the concrete next step
// (R19). Since and Actor are the event that caused it; both are null when
// nothing happened (SMS was simply never enabled).
type Cause struct {
	Code   string     `json:"code"`
	Detail string     `json:"detail"`
	Since  *time.Time `json:"since"`
	Actor  *string    `json:"actor"`
	Fix    string     `json:"fix"`
	// By is who Actor names, as recorded (Actor is how a person reads it
	// out): what a user.cannot_send event names as its actor.
	By *Who `json:"-"`
}

// Diagnosis answers "can this user send SMS, and if not, why and what fixes
// it" (R19). CanSend is exactly R20's permission to send; Causes, most
// relevant first, is empty when it is true.
type Diagnosis struct {
	UserID  string  `json:"user_id"`
	CanSend bool    `json:"can_send"`
	From    *string `json:"from"` // the default SMS number, if any
	Causes  []Cause `json:"causes"`
}

// Has reports whether the diagnosis names cause code.
func (d *Diagnosis) Has(code string) bool {
	for _, c := range d.Causes {
		if c.Code == code {
			return true
		}
	}
	return false
}

// SMSFacts is everything the diagnosis reads: the user, their default SMS
// number (R4) if any, and its campaign with the campaign's brand where
// the country needs one (R11). Off is the number SMS was last turned off
// on (User.SMSOff), while it is still the user's: whether the carrier
// refused to let it go (Disabling Failed).
type SMSFacts struct {
	User     *User
	Number   *PhoneNumber
	Campaign *Campaign
	Brand    *Brand
	Off      *PhoneNumber
}

// note puts n, one of f.User's numbers, where the diagnosis reads it: the
// default SMS number, or the number SMS was last turned off on.
func (f *SMSFacts) note(n *PhoneNumber) {
	switch {
	case n.SMS.IsDefaultSMS():
		f.Number = n
	case f.User.SMSOff != nil && f.User.SMSOff.Number == n.Number:
		f.Off = n
	}
}

// Diagnose is R19 and R20 in one pure function of what was recorded: the
// endpoint, the troubleshooting list and the send gate all ask it.
func Diagnose(f SMSFacts) Diagnosis {
	u, n := f.User, f.Number
	d := Diagnosis{UserID: u.ID, Causes: []Cause{}}
	if n == nil {
		d.Causes = append(d.Causes, offCause(u, f.Off))
	} else {
		num := n.Number
		d.From = &num
		if c, ok := numberCause(u, n); ok {
			d.Causes = append(d.Causes, c)
		}
		if c, ok := campaignCause(u, n, f.Campaign, f.Brand); ok {
			d.Causes = append(d.Causes, c)
		}
	}
	if !u.HasLicense() {
		c := Cause{Code: CauseLicenseRequired,
			Detail: fmt.Sprintf("%s has no license; only a licensed user can send SMS.", u.Name),
			Fix:    fmt.Sprintf("Give %s a license: Users > %s > License.", u.Name, u.Name)}
		if off := u.SMSOff; off != nil && off.Cause == CauseLicenseChanged {
			c.setEvent(off.Event)
		}
		d.Causes = append(d.Causes, c)
	}
	d.CanSend = len(d.Causes) == 0
	return d
}

// offCause is why a user without a default SMS number cannot send: the
// recorded event that turned SMS off, or that it never was on. offNum is
// the number it was turned off on, when it is still the user's: if the
// carrier refused to let it go (Disabling Failed), the fix says how to
// finish turning it off too.
func offCause(u *User, offNum *PhoneNumber) Cause {
	enable := enableFix(u, "")
	off := u.SMSOff
	if off == nil {
		return Cause{Code: CauseSMSNotEnabled, Detail: fmt.Sprintf("SMS has never been enabled for %s.", u.Name), Fix: enable}
	}
	c := Cause{Code: off.Cause}
	c.setEvent(off.Event)
	num, by := DisplayNumber(off.Number), off.By.String()
	switch off.Cause {
	case CauseNumberChanged:
		c.Detail = fmt.Sprintf("SMS was on %s, which %s took from %s; SMS is not enabled on a new number by itself.", num, by, u.Name)
	case CauseLicenseChanged:
		c.Detail = fmt.Sprintf("%s changed %s's license, which turned SMS off on %s; it stays off until an admin enables it again, even with the same number.", by, u.Name, num)
		enable = enableFix(u, off.Number)
	case CauseDisabledByAdmin:
		c.Detail = fmt.Sprintf("%s turned SMS off on %s; it stays off until an admin enables it again.", by, num)
		enable = enableFix(u, off.Number)
	case CauseCampaignDeactivated:
		c.Detail = fmt.Sprintf("%s deactivated campaign %s, which turned SMS off on %s; a deactivated campaign never comes back.", by, off.Campaign, num)
		enable = enableFix(u, off.Number) + " Then assign it to another verified campaign: SMS > Your SMS-enabled phone numbers > More > Assign to campaign."
	}
	c.Fix = enable
	if offNum != nil && offNum.SMS.Status == NumberDisablingFailed {
		c.Detail += fmt.Sprintf(" The carrier refused to turn it off: %s.", failureReason(offNum))
		c.Fix += fmt.Sprintf(" Or, to finish turning it off, press Retry beside %s: Users > %s > SMS-enabled numbers.", num, u.Name)
	}
	return c
}

// failureReason is the carrier's reason for refusing n's last operation,
// without its full stop.
func failureReason(n *PhoneNumber) string {
	if f := n.SMS.Failure; f != nil && f.Reason != "" {
		return strings.TrimSuffix(f.Reason, ".")
	}
	return "it gave no reason"
}

// enableFix is the step that turns SMS on for u: on number when it is
// still theirs, else on one of their numbers, else after giving them one.
// A user without a license needs one first.
func enableFix(u *User, number string) string {
	var fix string
	switch {
	case number != "" && slices.Contains(u.PhoneNumbers, number):
		fix = fmt.Sprintf("Enable SMS for %s again: Users > %s > SMS-enabled numbers.", DisplayNumber(number), u.Name)
	case len(u.PhoneNumbers) == 1:
		fix = fmt.Sprintf("Enable SMS for %s: Users > %s > SMS-enabled numbers.", DisplayNumber(u.PhoneNumbers[0]), u.Name)
	case len(u.PhoneNumbers) > 1:
		shown := make([]string, len(u.PhoneNumbers))
		for i, p := range u.PhoneNumbers {
			shown[i] = DisplayNumber(p)
		}
		fix = fmt.Sprintf("Enable SMS for one of %s's numbers (%s): Users > %s > SMS-enabled numbers.", u.Name, strings.Join(shown, ", "), u.Name)
	default:
		fix = fmt.Sprintf("Give %s a phone number, then enable SMS for it: Users > %s > Phone numbers.", u.Name, u.Name)
	}
	if !u.HasLicense() {
		fix = fmt.Sprintf("Give %s a license first (Users > %s > License). Then: %s", u.Name, u.Name, fix)
	}
	return fix
}

// numberCause is what keeps the default SMS number itself from sending:
// in flight, refused by the carrier, or in no campaign.
func numberCause(u *User, n *PhoneNumber) (Cause, bool) {
	s, num := &n.SMS, DisplayNumber(n.Number)
	requested := func(c *Cause) {
		if s.Requested != nil {
			c.setActor(s.Requested.By)
		}
	}
	var c Cause
	switch s.Status {
	case NumberPending:
		c = Cause{Code: CausePending, Since: s.PendingSince,
			Fix: "Nothing to do yet: the carrier is working on it and the status changes by itself (it can take up to 48 hours). If it is still pending after that, contact support."}
		requested(&c)
		if s.PendingOperation == OpAssign {
			c.Detail = fmt.Sprintf("The carrier is adding %s to its campaign.", num)
		} else {
			c.Detail = fmt.Sprintf("The carrier is enabling %s for SMS.", num)
		}
		if dr := s.Drift; dr != nil {
			c.setEvent(Event{At: dr.At, By: WhoCarrier})
			c.Detail = fmt.Sprintf("The carrier stopped holding %s in its campaign on its own; smsadmin is assigning it again.", num)
			if dr.Lost == DriftProvisioning {
				c.Detail = fmt.Sprintf("The carrier stopped holding %s as SMS-enabled on its own; smsadmin is enabling it again.", num)
			}
			c.Fix = "Nothing to do yet: smsadmin repairs it with the carrier and the status changes by itself. If it does not, contact support."
		}
	case NumberEnablingFailed, NumberAssignmentFailed:
		c = Cause{Code: CauseEnablingFailed, Detail: fmt.Sprintf("The carrier refused to enable %s for SMS", num),
			Fix: fmt.Sprintf("Correct what the carrier names, then press Retry beside %s: Users > %s > SMS-enabled numbers, or SMS > Your SMS-enabled phone numbers.", num, u.Name)}
		if s.Status == NumberAssignmentFailed {
			c = Cause{Code: CauseAssignmentFailed, Detail: fmt.Sprintf("The carrier refused to add %s to its campaign", num),
				Fix: fmt.Sprintf("Correct what the carrier names, then press Retry beside %s to assign it to its campaign again: SMS > Your SMS-enabled phone numbers, or Users > %s > SMS-enabled numbers. Or choose another campaign: SMS > Your SMS-enabled phone numbers > More > Assign to campaign.", num, u.Name)}
		}
		c.setActor(WhoCarrier)
		if f := s.Failure; f != nil {
			c.Detail += ": " + strings.TrimSuffix(f.Reason, ".") + "."
			if !f.At.IsZero() {
				at := f.At
				c.Since = &at
			}
		} else {
			c.Detail += "."
		}
	case NumberEnabledUnassigned:
		c = Cause{Code: CauseNotAssigned, Since: s.ProvisionedAt,
			Detail: fmt.Sprintf("%s is enabled for SMS but in no campaign; carriers deliver business SMS only from numbers in a verified campaign.", num),
			Fix:    fmt.Sprintf("Assign %s to a verified campaign: SMS > Your SMS-enabled phone numbers > More > Assign to campaign.", num)}
		requested(&c)
	default:
		return Cause{}, false
	}
	return c, true
}

// campaignCause is what keeps the campaign of the default SMS number from
// carrying its messages (R11, R13, R14): it is no longer verified, or its
// brand is not.
func campaignCause(u *User, n *PhoneNumber, c *Campaign, b *Brand) (Cause, bool) {
	if c == nil || n.SMS.CampaignID == "" {
		return Cause{}, false
	}
	num := DisplayNumber(n.Number)
	err := c.Usable(b)
	switch ErrorCode(err) {
	case "":
		return Cause{}, false
	case CodeCampaignDeactivated:
		return Cause{Code: CauseCampaignDeactivated, Since: c.StatusAt,
			Detail: fmt.Sprintf("Campaign %s is deactivated; it never comes back.", c.Label()),
			Fix:    fmt.Sprintf("Assign %s to another verified campaign: SMS > Your SMS-enabled phone numbers > More > Assign to campaign.", num)}, true
	}
	// Assigned while verified: whatever changed since, the carrier did.
	reg, what, since := c.Registration, "campaign "+c.Label(), c.StatusAt
	if c.Status == StatusVerified && b != nil {
		reg, what, since = b.Registration, "brand "+b.ID, b.StatusAt
	}
	cause := Cause{Code: CauseCampaignNotVerified, Since: since,
		Detail: fmt.Sprintf("The carrier has %s as %s%s; its numbers cannot send until it is verified again.", what, reg.Status, reasons(reg.Errors)),
		Fix:    fmt.Sprintf("Open SMS > Registration to see the carrier's reasons for %s; correct and resubmit it, or assign %s to another verified campaign.", what, num)}
	if reg.Status == StatusSuspended {
		// R13: a suspension is the carrier's re-vetting of a registration
		// in use; it is not edited and submitted again, but appealed.
		cause.Fix = fmt.Sprintf("Read the carrier's reasons for %s under SMS > Registration. A suspended registration cannot be edited: ask support to appeal the suspension with the carrier, or assign %s to another verified campaign: SMS > Your SMS-enabled phone numbers > More > Assign to campaign.", what, num)
	}
	cause.setActor(WhoCarrier)
	if reg.Status == StatusPending {
		cause.Detail = fmt.Sprintf("The carrier is reviewing %s; its numbers can send once it is verified.", what)
		cause.Fix = "Nothing to do yet: the carrier's review can take up to 48 hours; the status changes by itself."
	}
	return cause, true
}

// reasons is the carrier's reasons for a registration's status, as the end
// of a clause (": ..."), or "" when it gave none.
func reasons(errs []FieldError) string {
	if len(errs) == 0 {
		return ""
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = strings.TrimSuffix(e.Message, ".")
	}
	return ": " + strings.Join(msgs, "; ")
}

// setEvent records e as what caused c: when, and who.
func (c *Cause) setEvent(e Event) {
	at := e.At
	c.Since = &at
	c.setActor(e.By)
}

// setActor records w as who caused c.
func (c *Cause) setActor(w Who) {
	s := w.String()
	c.Actor, c.By = &s, &w
}

// DisplayNumber writes an E.164 number as a person reads it out:
// "+1 202 555 0142". A number that does not parse is returned as it is.
func DisplayNumber(e164 string) string {
	p, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return strings.ReplaceAll(phonenumbers.Format(p, phonenumbers.INTERNATIONAL), "-", " ")
}
