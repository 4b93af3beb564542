package smsadmin

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
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
	// Errors are the carrier's field errors when rejected (R12), or its
	// reasons for a suspension when it gives them (R13).
	Errors []FieldError `json:"errors"`
	// CarrierRef is the carrier's ID for the registration, once submitted.
	CarrierRef string `json:"carrier_ref,omitempty"`
	// CarrierStatus is the provider's own status text, kept raw beside ours
	// because carriers' enums change.
	CarrierStatus string     `json:"carrier_status,omitempty"`
	SubmittedAt   *time.Time `json:"submitted_at"`
	VerifiedAt    *time.Time `json:"verified_at"`
	// StatusAt is when Status last changed (the diagnosis, R19, names it
	// when a campaign stops being verified, R13).
	StatusAt *time.Time `json:"status_at"`
	// Generation counts submissions; it makes each submission's
	// idempotency key, so a retry repeats a submission and a resubmission
	// is a new one.
	Generation int  `json:"-"`
	Work       Work `json:"-"`
	// Overdue is set on reads: in review longer than the provisioning
	// window.
	Overdue bool `json:"overdue"`
}

// Caps on free-text fields, in characters (runes, after NFC), shared by
// the domain checks and the HTTP decoder and documented as maxLength in
// /openapi.json.
const (
	MaxNameLength      = 200  // user, tenant and token names
	MaxEmailLength     = 254  // RFC 5321's limit on a forward path
	MaxLegalNameLength = 255  // a brand's legal name
	MaxWebsiteLength   = 255  // a brand's website
	MaxCodeLength      = 64   // ids, countries, verticals, use cases, tax IDs, numbers
	MaxTextLength      = 4096 // the longest free text (a campaign description)
)

// TextProblem returns why s cannot be stored as text, or "": invalid UTF-8,
// or a C0 or C1 control character (NUL and DEL included). multiline allows
// newlines (\n, \r) and tabs, for fields that are paragraphs or messages.
// One-line text (a person's, tenant's, token's or company's name, an
// email address, a code) must also hold no bidirectional embedding,
// override or isolate character (BidiControl): one would make a name show
// in another order than it is written ("Acme\u202Eevil" shows as
// "Acmelive"), so that a name could pass for another.
func TextProblem(s string, multiline bool) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return "is not valid UTF-8 text"
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return fmt.Sprintf("must not contain the control character %U", r)
		case !multiline && BidiControl(r):
			return fmt.Sprintf("must not contain the bidirectional control character %U, which makes text show in another order than it is written", r)
		}
	}
	return ""
}

// BidiControl reports whether r is a bidirectional embedding, override or
// isolate character (U+202A..U+202E, U+2066..U+2069), which reorders the
// text around it when it is shown. The marks (U+200E, U+200F, U+061C),
// which right-to-left writing needs, are not.
func BidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// NormalizeText returns s in Unicode Normalization Form C, the one form
// stored, so that "é" typed two ways is one name.
func NormalizeText(s string) string { return norm.NFC.String(s) }

// Visible reports whether s has at least one character a person can see:
// a letter, digit, punctuation mark or symbol that is not one of the
// blank-looking fillers (Hangul fillers, the Braille blank).
func Visible(s string) bool {
	for _, r := range s {
		switch r {
		case '\u115f', '\u1160', '\u3164', '\uffa0', '\u2800':
			continue
		}
		if unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) {
			return true
		}
	}
	return false
}

// checkText normalises *s (already trimmed) to NFC and checks it is text
// of at most max characters; a name must also have a visible character.
// It reports whether *s passed, so callers skip checks that quote it.
func checkText(v *Validation, field, what string, s *string, max int, multiline, name bool) bool {
	*s = NormalizeText(*s)
	if p := TextProblem(*s, multiline); p != "" {
		v.Add(field, "invalid", "%s %s.", what, p)
		return false
	}
	if n := utf8.RuneCountInString(*s); n > max {
		v.Add(field, "too_long", "%s must be at most %d characters; it has %d.", what, max, n)
		return false
	}
	if name && *s != "" && !Visible(*s) {
		v.Add(field, "invalid", "%s must have at least one visible character.", what)
		return false
	}
	return true
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
			r.Status, r.Errors = StatusSuspended, append([]FieldError{}, obs.Errors...)
		}
	case StatusDeactivated:
		r.Status = StatusDeactivated
	}
	if r.Status != before {
		r.StatusAt = &now
	}
	return r.Status != before || r.CarrierStatus != beforeRaw
}

// Refuse ends a submission the carrier refused outright (a refusal at
// submission): rejected, with the carrier's field errors (R12).
func (r *Registration) Refuse(errs []FieldError) {
	r.Status = StatusRejected
	r.Errors = append([]FieldError{}, errs...)
}

// submit starts a new submission: in review, with a new generation and
// nothing known of the carrier yet; due at once.
func (r *Registration) submit(now time.Time) {
	r.Status, r.Errors = StatusPending, []FieldError{}
	r.CarrierRef, r.CarrierStatus = "", ""
	r.SubmittedAt, r.VerifiedAt, r.StatusAt = &now, nil, &now
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
