package smsadmin

import (
	"fmt"
	"net/mail"
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

// RegistrationStatuses lists every brand and campaign status.
var RegistrationStatuses = []RegistrationStatus{StatusDraft, StatusPending, StatusVerified, StatusRejected, StatusSuspended, StatusDeactivated}

// ParseRegistrationStatus reads a status a client named (a list filter);
// "" is none. Errors: validation_failed naming field.
func ParseRegistrationStatus(field, s string) (RegistrationStatus, error) {
	if s == "" || slices.Contains(RegistrationStatuses, RegistrationStatus(s)) {
		return RegistrationStatus(s), nil
	}
	return "", FieldErrorf(field, "invalid", "%s must be one of draft, pending, verified, rejected, suspended or deactivated, not %q.", field, s)
}

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
