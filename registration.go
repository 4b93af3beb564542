package smsadmin

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// RegistrationStatus is the status of a brand or campaign registration
// (PRODUCT.md "Campaign and brand statuses").
type RegistrationStatus string

// Registration statuses.
const (
	StatusDraft       RegistrationStatus = "draft"       // being written; editable
	StatusPending     RegistrationStatus = "pending"     // submitted, in carrier review
	StatusVerified    RegistrationStatus = "verified"    // approved by the carrier
	StatusRejected    RegistrationStatus = "rejected"    // refused, with field errors; editable, resubmittable
	StatusSuspended   RegistrationStatus = "suspended"   // the carrier changed a verified campaign (R13)
	StatusDeactivated RegistrationStatus = "deactivated" // campaigns only, terminal (R14)
)

// Editable reports whether a registration in this status may be changed
// (R12: draft or rejected only).
func (s RegistrationStatus) Editable() bool { return s == StatusDraft || s == StatusRejected }

// Registration is the carrier-facing state every brand and campaign carries:
// what smsadmin wants of the carrier (Desired), what it last saw (the
// carrier reference, the raw provider status), and the reconciler's
// bookkeeping. It is embedded in Brand and Campaign.
type Registration struct {
	Status RegistrationStatus `json:"status"`
	Errors []FieldError       `json:"errors"` // the carrier's field errors when rejected (R12)
	// CarrierRef is the carrier's ID for the registration, once submitted.
	CarrierRef string `json:"carrier_ref,omitempty"`
	// CarrierStatus is the provider's own status text, kept raw beside ours
	// because carriers' enums change.
	CarrierStatus string     `json:"carrier_status,omitempty"`
	SubmittedAt   *time.Time `json:"submitted_at"`
	VerifiedAt    *time.Time `json:"verified_at"`
	// Generation counts submissions; it makes each submission's
	// idempotency key, so a retry repeats a submission and a resubmission
	// is a new one.
	Generation int  `json:"-"`
	Work       Work `json:"-"`
	// Overdue is set on reads: in review longer than the provisioning
	// window.
	Overdue bool `json:"overdue"`
}

// Work is the reconciler's bookkeeping on a row: when the row is next due
// (nil: nothing to do), who holds it leased and until when, and how its
// attempts went. It lives on the row so that desired state, observed state
// and pending work can never disagree.
type Work struct {
	DueAt      *time.Time
	LeaseOwner string
	LeaseUntil *time.Time
	Attempts   int
	LastError  string
}

// Brand verticals accepted by the carrier.
var Verticals = []string{
	"AGRICULTURE", "COMMUNICATION", "CONSTRUCTION", "EDUCATION", "ENERGY", "ENTERTAINMENT",
	"FINANCIAL", "GAMBLING", "GOVERNMENT", "HEALTHCARE", "HOSPITALITY", "HUMAN_RESOURCES",
	"INSURANCE", "LEGAL", "MANUFACTURING", "NGO", "POLITICAL", "POSTAL", "PROFESSIONAL",
	"REAL_ESTATE", "RETAIL", "TECHNOLOGY", "TRANSPORTATION",
}

// UseCases are the campaign use cases accepted by the carrier.
var UseCases = []string{
	"2FA", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "DELIVERY_NOTIFICATION", "FRAUD_ALERT",
	"HIGHER_EDUCATION", "LOW_VOLUME", "MARKETING", "MIXED", "POLLING_VOTING",
	"PUBLIC_SERVICE_ANNOUNCEMENT", "SECURITY_ALERT",
}

// Brand is a company registered with the carrier (R11, R12).
type Brand struct {
	ID           string    `json:"id"`
	TenantID     string    `json:"tenant_id"`
	LegalName    string    `json:"legal_name"`
	Country      string    `json:"country"`
	TaxID        string    `json:"tax_id"`
	Website      string    `json:"website"`
	Vertical     string    `json:"vertical"`
	ContactEmail string    `json:"contact_email"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Registration
}

// Campaign is an SMS campaign of a brand (R11..R14). NumberLimit is how
// many numbers it may hold (R9, 48 by default); NumberCount is filled on
// reads with the numbers it currently counts.
type Campaign struct {
	ID               string    `json:"id"`
	TenantID         string    `json:"tenant_id"`
	BrandID          string    `json:"brand_id"`
	Country          string    `json:"country"`
	UseCase          string    `json:"use_case"`
	Description      string    `json:"description"`
	SampleMessages   []string  `json:"sample_messages"`
	OptInDescription string    `json:"opt_in_description"`
	HelpMessage      string    `json:"help_message"`
	StopMessage      string    `json:"stop_message"`
	NumberLimit      int       `json:"number_limit"`
	NumberCount      int       `json:"number_count"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	// DeactivateRequested is set once an admin confirmed deactivation (R14):
	// from then on the campaign is permanently out of use, whatever the
	// carrier has yet to confirm.
	DeactivateRequested bool `json:"-"`
	Registration
}

// DefaultNumberLimit is a campaign's number limit until support raises it (R9).
const DefaultNumberLimit = 48

var (
	taxIDPattern = map[string]*regexp.Regexp{
		CountryUS: regexp.MustCompile(`^\d{2}-?\d{7}$`),               // EIN
		CountryCA: regexp.MustCompile(`^\d{9}([A-Z]{2}\d{4})?$`),      // Business Number
		CountryAU: regexp.MustCompile(`^\d{2} ?\d{3} ?\d{3} ?\d{3}$`), // ABN
	}
	taxIDExample = map[string]string{CountryUS: "12-3456789 (EIN)", CountryCA: "123456789 (BN)", CountryAU: "51 824 753 556 (ABN)"}
)

// Validate checks a brand's fields (R12). With complete false (a draft) only
// the fields given are checked; with complete true (before submission)
// every field is required.
func (b *Brand) Validate(complete bool) error {
	var v Validation
	b.LegalName = strings.TrimSpace(b.LegalName)
	b.Country = strings.ToUpper(strings.TrimSpace(b.Country))
	b.TaxID = strings.TrimSpace(b.TaxID)
	b.Website = strings.TrimSpace(b.Website)
	b.Vertical = strings.ToUpper(strings.TrimSpace(b.Vertical))
	b.ContactEmail = strings.ToLower(strings.TrimSpace(b.ContactEmail))
	required := func(field, value, what string) bool {
		if value == "" {
			if complete {
				v.Add(field, "required", "%s is required.", what)
			}
			return false
		}
		return true
	}
	if required("legal_name", b.LegalName, "The legal company name") && len(b.LegalName) > 255 {
		v.Add("legal_name", "too_long", "The legal name must be at most 255 characters.")
	}
	countryOK := false
	if required("country", b.Country, "The brand's country") {
		if countryOK = SupportedCountry(b.Country); !countryOK {
			v.Add("country", "unsupported_country", "SMS registration exists only for US, CA and AU brands, not %q.", b.Country)
		}
	}
	if required("tax_id", b.TaxID, "The tax ID") && countryOK && !taxIDPattern[b.Country].MatchString(b.TaxID) {
		v.Add("tax_id", "invalid", "%q is not a tax ID of %s; expected a form such as %s.", b.TaxID, b.Country, taxIDExample[b.Country])
	}
	if required("website", b.Website, "The company website") {
		if u, err := url.Parse(b.Website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || !strings.Contains(u.Host, ".") {
			v.Add("website", "invalid", "%q is not a website address such as https://example.com.", b.Website)
		}
	}
	if required("vertical", b.Vertical, "The industry vertical") && !slices.Contains(Verticals, b.Vertical) {
		v.Add("vertical", "invalid", "%q is not a vertical; use one of %s.", b.Vertical, strings.Join(Verticals, ", "))
	}
	if required("contact_email", b.ContactEmail, "The contact email") && !validEmail(b.ContactEmail) {
		v.Add("contact_email", "invalid", "%q is not an email address such as compliance@example.com.", b.ContactEmail)
	}
	return v.Err()
}

// Validate checks a campaign's fields (R12), like Brand.Validate.
func (c *Campaign) Validate(complete bool) error {
	var v Validation
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
	c.UseCase = strings.ToUpper(strings.TrimSpace(c.UseCase))
	c.Description = strings.TrimSpace(c.Description)
	c.OptInDescription = strings.TrimSpace(c.OptInDescription)
	c.HelpMessage = strings.TrimSpace(c.HelpMessage)
	c.StopMessage = strings.TrimSpace(c.StopMessage)
	required := func(field string, empty bool, what string) bool {
		if empty {
			if complete {
				v.Add(field, "required", "%s is required.", what)
			}
			return false
		}
		return true
	}
	if c.BrandID == "" {
		v.Add("brand_id", "required", "brand_id is required: a campaign belongs to a brand.")
	}
	if required("country", c.Country == "", "The campaign's country") && !SupportedCountry(c.Country) {
		v.Add("country", "unsupported_country", "SMS campaigns exist only for US, CA and AU, not %q.", c.Country)
	}
	if required("use_case", c.UseCase == "", "The use case") && !slices.Contains(UseCases, c.UseCase) {
		v.Add("use_case", "invalid", "%q is not a use case; use one of %s.", c.UseCase, strings.Join(UseCases, ", "))
	}
	if required("description", c.Description == "", "The campaign description") {
		lengthBetween(&v, "description", c.Description, 40, 4096, "The description")
	}
	if required("sample_messages", len(c.SampleMessages) == 0, "At least one sample message") {
		if len(c.SampleMessages) > 5 {
			v.Add("sample_messages", "too_many", "At most 5 sample messages, not %d.", len(c.SampleMessages))
		}
		for i := range c.SampleMessages {
			c.SampleMessages[i] = strings.TrimSpace(c.SampleMessages[i])
			lengthBetween(&v, fmt.Sprintf("sample_messages[%d]", i), c.SampleMessages[i], 20, 1024, fmt.Sprintf("Sample message %d", i+1))
		}
	}
	if required("opt_in_description", c.OptInDescription == "", "How recipients opt in") {
		lengthBetween(&v, "opt_in_description", c.OptInDescription, 20, 2048, "The opt-in description")
	}
	if required("help_message", c.HelpMessage == "", "The reply to HELP") {
		lengthBetween(&v, "help_message", c.HelpMessage, 20, 255, "The HELP reply")
	}
	if required("stop_message", c.StopMessage == "", "The reply to STOP") {
		lengthBetween(&v, "stop_message", c.StopMessage, 20, 255, "The STOP reply")
		if !strings.Contains(strings.ToLower(c.StopMessage), "unsubscribe") && !strings.Contains(strings.ToLower(c.StopMessage), "opt") &&
			!strings.Contains(strings.ToLower(c.StopMessage), "no more") && !strings.Contains(strings.ToLower(c.StopMessage), "stop") {
			v.Add("stop_message", "invalid", "The STOP reply must confirm the opt-out, e.g. \"You are unsubscribed and will receive no more messages.\"")
		}
	}
	return v.Err()
}

func lengthBetween(v *Validation, field, s string, min, max int, what string) {
	switch n := len([]rune(s)); {
	case n < min:
		v.Add(field, "too_short", "%s must be at least %d characters; it has %d.", what, min, n)
	case n > max:
		v.Add(field, "too_long", "%s must be at most %d characters; it has %d.", what, max, n)
	}
}

// validEmail reports whether s is a bare address with a dotted domain.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	at := strings.LastIndexByte(s, '@')
	return err == nil && a.Address == s && at > 0 && strings.Contains(s[at+1:], ".")
}

// InCarrierHands reports whether the carrier decides this registration's
// status now: submitted and not ended by us.
func (r *Registration) InCarrierHands() bool {
	switch r.Status {
	case StatusPending, StatusVerified, StatusSuspended:
		return true
	}
	return false
}

// Observe applies what the carrier reports to a registration in its hands
// and reports whether anything a person would see changed. Observations of
// a registration the carrier no longer decides (a draft, or one we
// deactivated) change nothing: a late report cannot undo our decisions.
func (r *Registration) Observe(obs RegistrationObservation, now time.Time) bool {
	if !r.InCarrierHands() {
		return false
	}
	before := r.Status
	beforeRaw := r.CarrierStatus
	r.CarrierStatus = obs.Raw
	switch obs.Status {
	case StatusPending:
		// Still in review. A verified registration does not go back to
		// review on a stale report.
		if r.Status != StatusPending {
			r.CarrierStatus = beforeRaw
		}
	case StatusVerified:
		r.Status, r.Errors = StatusVerified, []FieldError{}
		if r.VerifiedAt == nil {
			r.VerifiedAt = &now
		}
	case StatusRejected:
		r.Status, r.Errors = StatusRejected, append([]FieldError{}, obs.Errors...)
	case StatusSuspended: // R13: the carrier changed a verified campaign
		if r.Status == StatusVerified || r.Status == StatusSuspended {
			r.Status = StatusSuspended
		}
	case StatusDeactivated:
		r.Status = StatusDeactivated
	}
	return r.Status != before || r.CarrierStatus != beforeRaw
}

// Refuse ends a submission the carrier refused outright (a permanent error
// at submission): rejected, with the carrier's reason as the error.
func (r *Registration) Refuse(field, code, message string) {
	r.Status = StatusRejected
	r.Errors = []FieldError{{Field: field, Code: code, Message: message}}
}

// submit starts a new submission: in review, with a new generation and
// nothing known of the carrier yet; due at once.
func (r *Registration) submit(now time.Time) {
	r.Status, r.Errors = StatusPending, []FieldError{}
	r.CarrierRef, r.CarrierStatus = "", ""
	r.SubmittedAt, r.VerifiedAt = &now, nil
	r.Generation++
	r.Work = Work{DueAt: &now}
}

// SubmitKey is the idempotency key of the current submission.
func (r *Registration) SubmitKey(id string) string {
	return fmt.Sprintf("%s/submit/%d", id, r.Generation)
}

// IsOverdue reports whether the registration has been in review longer than
// window.
func (r *Registration) IsOverdue(now time.Time, window time.Duration) bool {
	return r.Status == StatusPending && r.SubmittedAt != nil && now.Sub(*r.SubmittedAt) > window
}

// NeedsVerifiedBrand reports whether a campaign of this country can be
// used only once its brand is verified too (R11: US and Canada).
func NeedsVerifiedBrand(country string) bool { return country != CountryAU }
